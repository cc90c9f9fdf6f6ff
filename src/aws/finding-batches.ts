/**
 * GetFindings for a list of IDs, 50 at a time, where one finding the SDK cannot read does not cost the others.
 * GuardDuty answers a batch in one response; if one finding in it cannot be deserialised (a member in a type the
 * SDK's model does not expect), the SDK throws for the whole response and the 49 good findings are lost with it.
 * Such a batch is split in halves and each half asked again, until the unreadable finding is alone: every other
 * finding is returned, and the unreadable one is named (a warning for the analyst), never silently dropped.
 * A finding the SDK reads but gd-ir cannot (no numeric severity, no ID) is set aside the same way.
 */
import type { Context } from '../cli/context.js';
import { sanitize } from '../core/sanitize.js';
import { normalizeFinding, type Finding } from '../core/finding/index.js';
import { isDeserializationError, toGdIrError } from './errors.js';

/** GuardDuty's ceiling: 50 IDs per GetFindings call (and per ListFindings page and Archive call). */
export const PAGE_SIZE = 50;

export interface UnreadableFinding {
  /** The finding ID as asked for (or as GuardDuty returned it). */
  id: string;
  /** Why it could not be read (the SDK's or gd-ir's message, sanitised and shortened). */
  reason: string;
}

export interface FindingsById {
  /** In the order of the IDs asked for; IDs GuardDuty does not know are left out. */
  findings: Finding[];
  unreadable: UnreadableFinding[];
  /** GetFindings calls made (more than ⌈ids/50⌉ when a batch had to be split). */
  calls: number;
}

type GdContext = Pick<Context, 'aws' | 'signal'>;
const ACTION = 'guardduty:GetFindings';

function shortReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // The SDK appends a hint about a hidden field; the analyst needs the first line.
  return sanitize(message.split('\n')[0] ?? message, { maxLength: 200 });
}

/** One GetFindings call, halving on a deserialisation failure until the unreadable finding is alone. */
async function fetchIsolating(ctx: GdContext, region: string, detectorId: string, ids: readonly string[], out: FindingsById): Promise<void> {
  const { GetFindingsCommand } = await import('@aws-sdk/client-guardduty');
  const client = await ctx.aws.guardDuty(region);
  let raws: unknown[];
  try {
    out.calls++;
    const res = await client.send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: [...ids] }), { abortSignal: ctx.signal });
    raws = res.Findings ?? [];
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') throw err;
    if (!isDeserializationError(err)) throw toGdIrError(err, { action: ACTION });
    if (ids.length === 1) {
      out.unreadable.push({ id: ids[0] as string, reason: `the AWS SDK could not read GuardDuty's answer: ${shortReason(err)}` });
      return;
    }
    const half = Math.ceil(ids.length / 2);
    await fetchIsolating(ctx, region, detectorId, ids.slice(0, half), out);
    await fetchIsolating(ctx, region, detectorId, ids.slice(half), out);
    return;
  }
  for (const raw of raws) {
    try {
      out.findings.push(normalizeFinding(raw, 'GuardDuty returned a finding that'));
    } catch (err) {
      const id = (raw as { Id?: unknown } | null)?.Id;
      out.unreadable.push({ id: typeof id === 'string' ? sanitize(id, { maxLength: 80 }) : '(no ID)', reason: shortReason(err) });
    }
  }
}

/** GetFindings for up to 50 IDs at a time; findings keep the order of `ids`; unreadable ones are named, not fatal. */
export async function getFindingsByIds(ctx: GdContext, region: string, detectorId: string, ids: readonly string[]): Promise<FindingsById> {
  const out: FindingsById = { findings: [], unreadable: [], calls: 0 };
  for (let i = 0; i < ids.length; i += PAGE_SIZE) await fetchIsolating(ctx, region, detectorId, ids.slice(i, i + PAGE_SIZE), out);
  const byId = new Map(out.findings.map((f) => [f.id, f]));
  const ordered: Finding[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const f = byId.get(id);
    if (f && !seen.has(id)) {
      seen.add(id);
      ordered.push(f);
    }
  }
  return { findings: ordered, unreadable: out.unreadable, calls: out.calls };
}

/** The warning line for an unreadable finding (findings list, investigate's related findings, the console). */
export function unreadableWarning(u: UnreadableFinding, region: string): string {
  return `finding ${u.id} in ${region} could not be read and is left out: ${u.reason}`;
}
