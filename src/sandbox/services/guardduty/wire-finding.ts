/**
 * The finding as GetFindings sends it. Members the model types as `timestamp` go out as epoch seconds (the JS SDK
 * rejects ISO strings there), even when the world stores ISO strings.
 */
import type { GuardDutyFinding } from '../../model.js';
import { isRecord } from '../../wire.js';
import { ISO_RE } from './criteria.js';

/**
 * Finding members whose model type is `timestamp` (epoch seconds on the wire; the JS SDK rejects ISO strings there),
 * from botocore guardduty/2017-11-28 service-2.json. Scenario data that stores ISO strings there is converted.
 */
const TIMESTAMP_PATHS = [
  'resource.ecsClusterDetails.taskDetails.createdAt',
  'resource.ecsClusterDetails.taskDetails.startedAt',
  'resource.eksClusterDetails.createdAt',
  'resource.lambdaDetails.lastModifiedAt',
  'resource.s3BucketDetails.createdAt',
  'service.detection.sequence.actors.session.createdTime',
  'service.detection.sequence.resources.data.ecsTask.createdAt',
  'service.detection.sequence.resources.data.eksCluster.createdAt',
  'service.detection.sequence.resources.data.s3Bucket.createdAt',
  'service.detection.sequence.signals.createdAt',
  'service.detection.sequence.signals.firstSeenAt',
  'service.detection.sequence.signals.lastSeenAt',
  'service.detection.sequence.signals.updatedAt',
  'service.ebsVolumeScanDetails.scanCompletedAt',
  'service.ebsVolumeScanDetails.scanStartedAt',
  'service.runtimeDetails.context.modifiedAt',
  'service.runtimeDetails.context.modifyingProcess.lineage.startTime',
  'service.runtimeDetails.context.modifyingProcess.startTime',
  'service.runtimeDetails.context.targetProcess.lineage.startTime',
  'service.runtimeDetails.context.targetProcess.startTime',
  'service.runtimeDetails.process.lineage.startTime',
  'service.runtimeDetails.process.startTime',
].map((p) => p.split('.'));

/** Visits the holders of `path` (arrays fan out); `fn` may replace the leaf. Returns true if anything was replaced. */
function rewriteLeaves(node: unknown, path: string[], i: number, fn: (v: unknown) => unknown): boolean {
  if (Array.isArray(node)) return node.map((x) => rewriteLeaves(x, path, i, fn)).some(Boolean);
  if (!isRecord(node)) return false;
  const key = path[i] as string;
  if (!(key in node)) return false;
  if (i === path.length - 1) {
    const next = fn(node[key]);
    if (next === node[key]) return false;
    node[key] = next;
    return true;
  }
  return rewriteLeaves(node[key], path, i + 1, fn);
}

function hasIsoLeaf(node: unknown, path: string[], i: number): boolean {
  if (Array.isArray(node)) return node.some((x) => hasIsoLeaf(x, path, i));
  if (!isRecord(node)) return false;
  const v = node[path[i] as string];
  if (v === undefined) return false;
  return i === path.length - 1 ? isoToEpoch(v) !== v : hasIsoLeaf(v, path, i + 1);
}

const isoToEpoch = (v: unknown): unknown => (typeof v === 'string' && ISO_RE.test(v) && !Number.isNaN(Date.parse(v)) ? Date.parse(v) / 1000 : v);

/** The finding as GetFindings sends it: timestamp-typed members as epoch seconds (copied only when needed). */
export function wireFinding(f: GuardDutyFinding): GuardDutyFinding {
  const needs = TIMESTAMP_PATHS.some((p) => hasIsoLeaf(f, p, 0));
  if (!needs) return f;
  const copy = structuredClone(f);
  for (const p of TIMESTAMP_PATHS) rewriteLeaves(copy, p, 0, isoToEpoch);
  return copy;
}
