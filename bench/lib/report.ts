/**
 * What every benchmark returns, and how the figures are printed and saved. A figure is a ratio or a
 * median compared with its target; absolute single timings are never the verdict.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RESULTS_DIR = `${ROOT}bench/results/`;

export type Verdict = 'PASS' | 'SHORT' | 'INFO';

export interface Figure {
  /** Stable key (JSON). */
  id: string;
  /** What was measured, for the table. */
  label: string;
  value: number;
  /** Unit of value: 'x' (ratio), 'ms', 'MB', '%', 'events/s', 'count'. */
  unit: string;
  /** The target in words, e.g. '≤ 1.5×'; undefined for figures reported for information. */
  target?: string;
  verdict: Verdict;
}

export interface BenchResult {
  name: string;
  title: string;
  figures: Figure[];
  /** Raw samples and derived data behind the figures. */
  data: Record<string, unknown>;
  /** Notes printed under the benchmark's rows (where the time goes, what was skipped). */
  notes: string[];
  durationMs: number;
}

/** A figure with an upper-bound target (smaller is better). */
export function atMost(id: string, label: string, value: number, unit: string, limit: number): Figure {
  return { id, label, value, unit, target: `≤ ${fmt(limit, unit)}`, verdict: value <= limit ? 'PASS' : 'SHORT' };
}

/** A figure with a lower-bound target (larger is better). */
export function atLeast(id: string, label: string, value: number, unit: string, limit: number): Figure {
  return { id, label, value, unit, target: `≥ ${fmt(limit, unit)}`, verdict: value >= limit ? 'PASS' : 'SHORT' };
}

export function exactly(id: string, label: string, value: number, unit: string, expected: number): Figure {
  return { id, label, value, unit, target: `= ${fmt(expected, unit)}`, verdict: value === expected ? 'PASS' : 'SHORT' };
}

export function info(id: string, label: string, value: number, unit: string): Figure {
  return { id, label, value, unit, verdict: 'INFO' };
}

export function fmt(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 'x':
      return `${value.toFixed(2)}×`;
    case 'ms':
      return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
    case 'MB':
      return `${value.toFixed(0)} MB`;
    case '%':
      return `${value.toFixed(1)} %`;
    case 'events/s':
      return `${value.toFixed(1)} ev/s`;
    default:
      return String(Math.round(value * 100) / 100);
  }
}

export function renderTable(results: BenchResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const f of r.figures) rows.push([r.name, f.label, fmt(f.value, f.unit), f.target ?? '', f.verdict === 'INFO' ? '' : f.verdict]);
  }
  const header = ['bench', 'figure', 'value', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  let last = '';
  for (const row of rows) {
    if (last && row[0] !== last) out.push('');
    out.push(line(row));
    last = row[0] ?? '';
  }
  return out.join('\n');
}

export function writeResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}${result.name}.json`;
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}
