/**
 * Borderless, column-aligned tables (cli-table3), fitted to the terminal width on a TTY and printed in
 * full when piped. Cell text is sanitised here, so callers pass raw values and styling functions.
 */
import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import { sanitize } from '../core/sanitize.js';

export interface Column<Row> {
  header: string;
  /** Raw text of the cell (sanitised and truncated by the table). */
  value: (row: Row) => string;
  /** Optional decoration applied after truncation (colour). Must not change the visible text. */
  style?: (text: string, row: Row) => string;
  /** Columns that may shrink when the terminal is narrow; larger weight shrinks first. */
  shrink?: number;
  /** Never shrink below this many characters. */
  min?: number;
  align?: 'left' | 'right';
}

export interface TableOptions {
  /** Terminal width, or undefined for no limit (pipes). */
  width: number | undefined;
  style: ChalkInstance;
}

const GAP = 2;

/** Display width of a string (wide East Asian characters and emoji count 2). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0 || (cp >= 0x300 && cp <= 0x36f) || cp === 0x200b || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Cut to `width` display columns, ending with "…" when cut. */
export function truncate(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 1) return width === 1 ? '…' : '';
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = displayWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}

/** Fit natural column widths into `total`, shrinking the shrinkable columns (heaviest first). */
export function fitWidths(natural: number[], shrink: number[], min: number[], total: number | undefined): number[] {
  const widths = [...natural];
  if (total === undefined) return widths;
  const budget = total - GAP * (widths.length - 1);
  let excess = widths.reduce((a, b) => a + b, 0) - budget;
  while (excess > 0) {
    // Shrink the widest shrinkable column (weighted) by one.
    let best = -1;
    let bestScore = 0;
    widths.forEach((w, i) => {
      const weight = shrink[i] ?? 0;
      if (weight <= 0 || w <= (min[i] ?? 1)) return;
      const score = w * weight;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    if (best < 0) break;
    widths[best] = (widths[best] ?? 1) - 1;
    excess--;
  }
  return widths;
}

export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[], options: TableOptions): string {
  const raw = rows.map((row) => columns.map((c) => sanitize(c.value(row))));
  const natural = columns.map((c, i) => Math.max(displayWidth(c.header), ...raw.map((r) => displayWidth(r[i] ?? ''))));
  const widths = fitWidths(
    natural,
    columns.map((c) => c.shrink ?? 0),
    columns.map((c) => Math.max(c.min ?? 4, Math.min(displayWidth(c.header), 12))),
    options.width,
  );
  const table = new Table({
    head: columns.map((c, i) => options.style.bold(truncate(c.header.toUpperCase(), widths[i] ?? 1))),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' '.repeat(GAP),
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colAligns: columns.map((c) => c.align ?? 'left'),
    wordWrap: false,
  });
  rows.forEach((row, r) => {
    table.push(
      columns.map((c, i) => {
        const text = truncate(raw[r]?.[i] ?? '', widths[i] ?? 1);
        return c.style ? c.style(text, row) : text;
      }),
    );
  });
  // cli-table3 pads the last column; trailing spaces are noise in pipes and golden files.
  return table
    .toString()
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n');
}

/** "Label  value" lines for detail views, labels aligned; values sanitised by the caller's choice. */
export function renderFields(fields: ReadonlyArray<[string, string | undefined]>, style: ChalkInstance, indent = 2): string {
  const present = fields.filter(([, v]) => v !== undefined && v !== '');
  const w = Math.max(0, ...present.map(([k]) => displayWidth(k)));
  return present.map(([k, v]) => `${' '.repeat(indent)}${style.dim(k.padEnd(w))}  ${v}`).join('\n');
}
