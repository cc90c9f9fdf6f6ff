/**
 * One line of progress while a trail is read (on a TTY stderr only; src/cli/io.ts decides): pages and
 * regions for event history, a bar of files and bytes for a scan, query states for Athena. Pure.
 */
import type { ScanPlan, TrailProgress } from '../core/trail/index.js';

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
