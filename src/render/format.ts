/** Small formatting helpers shared by the human renderers. */
import { displayWidth } from './table.js';

/** "5m ago", "3h ago", "2d ago" relative to now; "in 5m" for future times. */
export function relativeTime(date: Date, now: Date): string {
  const diff = now.getTime() - date.getTime();
  const abs = Math.abs(diff);
  const suffix = diff >= 0 ? ' ago' : '';
  const prefix = diff >= 0 ? '' : 'in ';
  const s = Math.round(abs / 1000);
  if (s < 60) return diff >= 0 ? 'just now' : 'in <1m';
  const m = Math.round(s / 60);
  if (m < 60) return `${prefix}${m}m${suffix}`;
  const h = Math.round(m / 60);
  if (h < 48) return `${prefix}${h}h${suffix}`;
  const d = Math.round(h / 24);
  if (d < 60) return `${prefix}${d}d${suffix}`;
  const mo = Math.round(d / 30);
  if (mo < 24) return `${prefix}${mo}mo${suffix}`;
  return `${prefix}${Math.round(d / 365)}y${suffix}`;
}

/** ISO-8601 UTC without milliseconds: 2026-11-27T10:31:07Z. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A time for humans: relative on a TTY, ISO on pipes. */
export function displayTime(value: string | Date | undefined, opts: { tty: boolean; now: Date }): string {
  if (value === undefined || value === '') return '-';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return opts.tty ? relativeTime(d, opts.now) : isoSeconds(d);
}

/** "3 days", "5 hours", "12 minutes": a coarse human duration. */
export function humanDuration(ms: number): string {
  const abs = Math.abs(ms);
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (abs < 60_000) return plural(Math.round(abs / 1000), 'second');
  if (abs < 3_600_000) return plural(Math.round(abs / 60_000), 'minute');
  if (abs < 172_800_000) return plural(Math.round(abs / 3_600_000), 'hour');
  return plural(Math.round(abs / 86_400_000), 'day');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const SGR = /\u001b\[[0-9;]*m/g;

/**
 * Word-wrap `text` to `width` display columns on a terminal: the first line starts with `first`, the
 * following ones with `rest` (a hanging indent). Prefixes may carry colour. No width (a pipe) means no
 * wrapping: the reader's tool decides.
 */
export function wrapText(text: string, width: number | undefined, first: string, rest: string): string {
  if (width === undefined || width <= displayWidth(first.replace(SGR, '')) + 20) return first + text;
  const lines: string[] = [];
  let line = '';
  let prefix = first;
  for (const word of text.split(' ')) {
    if (line !== '' && displayWidth(prefix.replace(SGR, '') + line.replace(SGR, '')) + 1 + displayWidth(word.replace(SGR, '')) > width) {
      lines.push(prefix + line);
      prefix = rest;
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(prefix + line);
  return lines.join('\n');
}
