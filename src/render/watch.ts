/**
 * `gd-ir watch` output: what is watched and until when, one line per new event (a success after containment
 * flagged as a containment failure), the summary; and the JSON lines of --json. Values from CloudTrail are
 * sanitised for the terminal, raw in JSON.
 */
import type { ChalkInstance } from 'chalk';
import { describeAccess, type AccountAccess } from '../core/access.js';
import { sanitize } from '../core/sanitize.js';
import type { Containment, WatchedCredential, WatchSummary, UndoneContainment } from '../core/watch.js';
import { displayTime, humanDuration, plural } from './format.js';

export interface WatchStart {
  credentials: readonly WatchedCredential[];
  regions: readonly string[];
  containment?: Containment;
  /** No containment in place because the last one was undone. */
  undone?: UndoneContainment;
  containedAt: Date;
  endsAt: Date;
  deadline: Date;
  intervalMs: number;
  deliveryDelayMs: number;
  /** Where the delivery delay comes from ("CloudTrail FAQs: about 5 minutes on average", "the sandbox's knob"). */
  delaySource: string;
  /** Whose CloudTrail is read, and how (a member account's through its read role). */
  access?: AccountAccess;
}

export function renderWatchStart(s: WatchStart, o: { style: ChalkInstance; tty: boolean; now: Date }): string {
  const st = o.style;
  const lines = [st.bold(`Watching ${plural(s.credentials.length, 'credential')} in ${s.regions.join(', ')}:`)];
  if (s.access && s.access.via !== 'caller') lines.unshift(`Reading the CloudTrail of ${sanitize(describeAccess(s.access))}.`);
  for (const c of s.credentials) lines.push(`  ${st.cyan(sanitize(c.value))}  ${st.dim(sanitize(c.label))}`);
  lines.push(
    s.containment
      ? `Containment: ${sanitize(s.containment.what)}, completed ${displayTime(s.containment.time, o)}: any successful call after that is a containment failure.`
      : s.undone
        ? st.yellow(
            `No containment in place: ${sanitize(s.undone.what)}, completed ${displayTime(s.undone.time, o)}, was undone ${displayTime(s.undone.undoneAt, o)} by ${sanitize(s.undone.undoneBy)}. Watching from now (${displayTime(s.containedAt.toISOString(), o)}); any successful call counts as a failure.`,
          )
        : st.yellow(`No containment of these credentials in the audit log: watching from now (${displayTime(s.containedAt.toISOString(), o)}); any successful call counts as a failure.`),
  );
  lines.push(
    `Until ${displayTime(s.endsAt.toISOString(), o)}, then ${humanDuration(s.deliveryDelayMs)} more (${sanitize(s.delaySource)}), reading CloudTrail every ${humanDuration(s.intervalMs)}.`,
  );
  return lines.join('\n');
}

export function renderWatchedEvent(
  w: { event: { time: string; eventSource: string; eventName: string; sourceIp?: string; errorCode?: string; accessKeyId?: string; region: string }; credential: WatchedCredential; verdict: string },
  o: { style: ChalkInstance; tty: boolean; now: Date },
): string {
  const e = w.event;
  const st = o.style;
  const what = `${e.eventSource.replace(/\.amazonaws\.com$/, '')}:${e.eventName}`;
  const head = `${displayTime(e.time, o)}  ${sanitize(e.accessKeyId ?? w.credential.value)}  ${sanitize(what)} ${st.dim(`from ${sanitize(e.sourceIp ?? '?')} in ${e.region}`)}`;
  switch (w.verdict) {
    case 'failure':
      return `${st.red('✖')} ${head}  ${st.red.bold('SUCCEEDED after containment: containment failure')}`;
    case 'denied':
      return `${st.green('✔')} ${head}  ${st.green(`${sanitize(e.errorCode ?? 'denied')}: containment held`)}`;
    case 'error':
      return `${st.yellow('•')} ${head}  ${st.yellow(`failed (${sanitize(e.errorCode ?? 'error')})`)}`;
    default:
      return `${st.dim('·')} ${head}  ${st.dim('before containment')}`;
  }
}

export function renderWatchSummary(s: WatchSummary, o: { style: ChalkInstance; interrupted: boolean; polls: number }): string {
  const st = o.style;
  const head = o.interrupted ? 'Stopped (Ctrl-C).' : 'Watch ended.';
  const counts = `${plural(s.events, 'event')}: ${s.failures} succeeded after containment, ${s.denied} denied, ${s.errors} other failures, ${s.before} before containment (${plural(o.polls, 'lookup round')}).`;
  const verdict =
    s.failures > 0
      ? st.red.bold(`Containment FAILED for ${s.failedCredentials.map((k) => sanitize(k)).join(', ') || 'a watched credential'}: contain it (gd-ir contain <findingId>) and watch again.`)
      : st.green('Nothing succeeded after containment: it holds so far.');
  return [`${st.bold(head)} ${counts}`, verdict].join('\n');
}
