/**
 * The lower bound on an investigation's wall time, derived from the calls it actually made (the
 * sandbox's request log). With a fixed latency L per call and CloudTrail's LookupEvents limit of R
 * requests per second per region, no client can finish before the longest chain of calls that depend
 * on each other:
 *
 *   finding   ListDetectors → GetFindings                  (the detector ID, then the finding: 2 × L)
 *   then, all in parallel, the slowest of:
 *   trail     per region, the n successful LookupEvents of that region share one rate limit: the
 *             first at once, then one every max(1/R, L): (n − 1) × max(1000/R, L) + L
 *   IAM       user → lists → documents: GetUser / List*UserPolicies / ListGroupsForUser / ListAccessKeys
 *             (depth 1) → GetUserPolicy, GetPolicy, GetAccessKeyLastUsed, List*GroupPolicies (depth 2)
 *             → GetPolicyVersion, GetGroupPolicy (depth 3): deepest × L; every further page of an IAM
 *             list (a Marker in the request) adds one L to its chain
 *   related   ListFindings → GetFindings for the principal's other findings: 2 × L
 *   changes   the read-backs of the attacker's changes (GetLoginProfile, ListPolicyVersions, GetTrailStatus…)
 *             need the trail first (what changed is in it): the slowest trail chain + L, all read-backs in parallel
 *
 * A member account's finding (a GuardDuty administrator's view) is read through the member's read role: the trail
 * and IAM chains wait for one AssumeRole, which itself waits for the finding (its account) and GetCallerIdentity
 * (asked in parallel with the finding): member chains = L + trail/IAM; related findings stay in the administrator.
 *
 * Calls a client spent on throttled requests are not counted (the bound assumes none). Chains are
 * counted with the shallowest depth an operation can have, so the bound never exceeds what a perfect
 * client could do; it is the time a client with zero CPU cost would take.
 */

export interface LoggedCall {
  service: string;
  operation: string;
  region: string;
  input: unknown;
  start: number;
  end: number;
  status: number;
  fault?: string;
}

export interface BoundOptions {
  latencyMs: number;
  /** LookupEvents requests per second per region. */
  lookupRate: number;
}

export interface Chain {
  name: string;
  ms: number;
  detail: string;
}

export interface CriticalPath {
  boundMs: number;
  /** The finding chain (before anything else can start). */
  finding: Chain;
  /** The parallel chains after the finding; the slowest decides the bound. */
  chains: Chain[];
  slowest: string;
  /** Calls counted, and calls ignored (throttled or failed). */
  calls: number;
  ignored: number;
}

const IAM_DEPTH: Record<string, number> = {
  GetUser: 1,
  GetRole: 1,
  ListAccessKeys: 1,
  ListAttachedUserPolicies: 1,
  ListUserPolicies: 1,
  ListGroupsForUser: 1,
  ListAttachedRolePolicies: 1,
  ListRolePolicies: 1,
  GetUserPolicy: 2,
  GetRolePolicy: 2,
  GetPolicy: 2,
  GetAccessKeyLastUsed: 2,
  ListAttachedGroupPolicies: 2,
  ListGroupPolicies: 2,
  GetPolicyVersion: 3,
  GetGroupPolicy: 3,
};

/** Reads only the changes sweep makes (src/flows/changes/readback.ts); the others it shares with the IAM chain. */
const READBACK_OPS = new Set(['iam:GetLoginProfile', 'iam:ListPolicyVersions', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetTrail']);

function hasMarker(input: unknown): boolean {
  return typeof input === 'object' && input !== null && typeof (input as Record<string, unknown>).Marker === 'string';
}

export function criticalPathBound(log: readonly LoggedCall[], opts: BoundOptions): CriticalPath {
  const L = opts.latencyMs;
  const ok = log.filter((c) => c.status >= 200 && c.status < 300 && c.fault !== 'ratelimit');
  const ignored = log.length - ok.length;

  // The finding: the first GetFindings, preceded by a ListDetectors in its region if one was made.
  const firstGet = ok.find((c) => c.service === 'guardduty' && c.operation === 'GetFindings');
  const listedDetector = firstGet !== undefined && ok.some((c) => c.service === 'guardduty' && c.operation === 'ListDetectors' && c.region === firstGet.region && c.start < firstGet.start);
  const findingSteps = (firstGet ? 1 : 0) + (listedDetector ? 1 : 0);
  const finding: Chain = {
    name: 'finding',
    ms: findingSteps * L,
    detail: [listedDetector ? 'ListDetectors' : '', firstGet ? 'GetFindings' : ''].filter(Boolean).join(' → ') || 'none',
  };

  const chains: Chain[] = [];
  const lookups = new Map<string, number>();
  for (const c of ok) if (c.service === 'cloudtrail' && c.operation === 'LookupEvents') lookups.set(c.region, (lookups.get(c.region) ?? 0) + 1);
  const interval = Math.max(1000 / opts.lookupRate, L);
  for (const [region, n] of [...lookups].sort()) {
    chains.push({ name: `trail ${region}`, ms: (n - 1) * interval + L, detail: `${n} LookupEvents: (${n} − 1) × ${Math.round(interval)} ms + ${L} ms` });
  }

  const iamCalls = ok.filter((c) => c.service === 'iam');
  if (iamCalls.length > 0) {
    let depth = 0;
    let deepest = '';
    const extraPages = new Map<string, number>();
    for (const c of iamCalls) {
      if (hasMarker(c.input)) extraPages.set(c.operation, (extraPages.get(c.operation) ?? 0) + 1);
    }
    for (const c of iamCalls) {
      const d = (IAM_DEPTH[c.operation] ?? 1) + (extraPages.get(c.operation) ?? 0);
      if (d > depth) {
        depth = d;
        deepest = c.operation;
      }
    }
    chains.push({ name: 'IAM', ms: depth * L, detail: `depth ${depth} (deepest: ${deepest}) × ${L} ms, ${iamCalls.length} calls` });
  }

  const related = ok.filter((c) => c.service === 'guardduty' && c !== firstGet && c.operation !== 'ListDetectors');
  if (related.length > 0) {
    const listed = related.some((c) => c.operation === 'ListFindings');
    const got = related.some((c) => c.operation === 'GetFindings');
    const steps = (listed ? 1 : 0) + (got ? 1 : 0);
    chains.push({ name: 'related findings', ms: steps * L, detail: `${related.length} calls: ${[...new Set(related.map((c) => c.operation))].join(', ')}` });
  }

  // Reading a member account: its trail and IAM wait for the AssumeRole round-trip.
  const assumed = ok.some((c) => c.service === 'sts' && c.operation === 'AssumeRole');
  if (assumed) {
    for (const c of chains) {
      if (c.name.startsWith('trail ') || c.name === 'IAM') {
        c.ms += L;
        c.detail = `AssumeRole ${L} ms, then ${c.detail}`;
      }
    }
  }

  // The changes sweep's read-backs start when the trail is in (after the AssumeRole for a member): one more L after
  // the slowest trail chain.
  const readBacks = ok.filter((c) => READBACK_OPS.has(`${c.service}:${c.operation}`));
  if (readBacks.length > 0) {
    const trailMs = Math.max(0, ...chains.filter((c) => c.name.startsWith('trail ')).map((c) => c.ms));
    chains.push({ name: 'trail + read-backs', ms: trailMs + L, detail: `${readBacks.length} read-backs after the trail: ${[...new Set(readBacks.map((c) => c.operation))].join(', ')}` });
  }

  const sts = ok.filter((c) => c.service === 'sts' && c.operation !== 'AssumeRole');
  if (sts.length > 0) chains.push({ name: 'STS', ms: L, detail: sts.map((c) => c.operation).join(', ') });

  let slowest: Chain = { name: 'none', ms: 0, detail: '' };
  for (const c of chains) if (c.ms > slowest.ms) slowest = c;
  return { boundMs: finding.ms + slowest.ms, finding, chains, slowest: slowest.name, calls: ok.length, ignored };
}
