/**
 * One line of progress while a trail is read (on a TTY stderr only; src/cli/io.ts decides): pages and
 * regions for event history, a bar of files and bytes for a scan, query states for Athena. Pure.
 */
import type { ScanPlan, TrailProgress, TrailSourceReport } from '../core/trail/index.js';

const n = (x: number): string => x.toLocaleString('en-US');

/** Bytes as B, kB, MB, GB (decimal, one decimal place past kB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

function bar(fraction: number, width = 20): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
}

export function trailProgressLine(p: TrailProgress, source = 'CloudTrail'): string {
  const phase = p.phase === 'derived' ? ' (derived credentials)' : '';
  switch (p.kind) {
    case 'lookup': {
      const parts = [`Reading CloudTrail${phase}`, `${n(p.events)} events`, `${p.pages} pages`, `regions ${p.regionsDone}/${p.regionsTotal} done`];
      if (p.throttles > 0) parts.push(`throttled ${p.throttles}× (backed off ${(p.throttleWaitMs / 1000).toFixed(1)}s)`);
      return parts.join(' · ');
    }
    case 'scan':
      return [
        `Reading ${source}${phase} ${bar(p.bytesTotal > 0 ? p.bytes / p.bytesTotal : p.filesTotal > 0 ? p.files / p.filesTotal : 1)}`,
        `${n(p.files)}/${n(p.filesTotal)} files`,
        `${formatBytes(p.bytes)}/${formatBytes(p.bytesTotal)}`,
        `${n(p.matched)} events matched`,
      ].join(' · ');
    case 'athena':
      return [`Querying ${source}${phase}`, `query ${Math.min(p.queriesDone + 1, p.queriesTotal)}/${p.queriesTotal} ${p.state}`, `${formatBytes(p.scannedBytes)} scanned`, `${n(p.rows)} rows`].join(' · ');
    default: {
      const never: never = p;
      return String(never);
    }
  }
}

/** Said before a scan starts: how much will be read. */
export function scanPlanLine(plan: ScanPlan, source: string, derived: boolean): string {
  return `Reading ${n(plan.files)} log file${plan.files === 1 ? '' : 's'} (${formatBytes(plan.bytes)}) from ${source}${derived ? ' for the derived credentials' : ''}`;
}

/** The source a trail was read from, in one line (trail's header, the report's data-source section). */
export function sourceLine(src: TrailSourceReport): string {
  const parts = [src.description];
  if (src.scan) {
    const s = src.scan;
    parts.push(`${n(s.files)} file${s.files === 1 ? '' : 's'} read (${formatBytes(s.bytes)})`);
    if (src.kind === 's3') parts.push(`${n(s.fetched)} fetched, ${n(s.cached)} from the cache`);
    if (s.skipped > 0) parts.push(`${n(s.skipped)} skipped`);
  }
  if (src.athena) {
    const a = src.athena;
    parts.push(`${a.queries.length} quer${a.queries.length === 1 ? 'y' : 'ies'} in workgroup ${a.workgroup}`, `${formatBytes(a.scannedBytes)} scanned`, `about $${a.costUsd.toFixed(a.costUsd < 0.01 ? 5 : 2)}`);
  }
  return parts.join(' · ');
}
