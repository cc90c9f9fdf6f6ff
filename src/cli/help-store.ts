/**
 * The stored top-level help: `gd-ir --help` (and `-h`) as the full CLI prints it, rendered at build time from
 * the real program (scripts/gen-help.ts, run by `npm run bundle`) for every help width commander can use, and
 * written next to the bundle (`dist/bundle/help/`). The entry point answers from it without loading commander,
 * chalk or the command table, and only when the bytes are known to be the ones the full path would print;
 * anything else (no store, another format, an argv or width it does not hold) returns undefined and the full
 * CLI answers. Nothing here may import more than node:fs: it is on the start-up path.
 */
import { readFileSync } from 'node:fs';

/** Bumped when the layout below changes; a store of another format is ignored. */
export const HELP_STORE_FORMAT = 1;

/** Where the store lives, relative to the bundle's entry.js (`npm run bundle` deletes it with the bundle). */
export const HELP_STORE_DIR = 'help/';

/** The only argv the store answers: the top-level help, and nothing else on the command line. */
export const STORED_HELP_ARGV: readonly string[] = ['--help', '-h'];

/**
 * `index.json`. Texts are `<id>.txt` beside it. Commander wraps the help to `stdout.columns` when stdout is a
 * TTY and to 80 columns otherwise (whatever else the terminal says); the index maps both cases to a text.
 */
export interface HelpStoreIndex {
  format: number;
  /** The text when stdout is not a TTY (a pipe or a file). */
  pipe: number;
  /** When stdout is a TTY: `[from, to, id]`, inclusive ranges of `stdout.columns`, sorted; widths outside them are not stored. */
  tty: Array<[number, number, number]>;
}

/** What the lookup needs to know about stdout: exactly what commander reads to pick the help width. */
export interface HelpStdout {
  isTTY?: boolean;
  columns?: number;
}

/**
 * The stored text for this argv and stdout, or undefined when the full CLI must answer. `dir` is the store's
 * directory (a file: URL ending in `/`).
 */
export function storedTopHelp(argv: readonly string[], stdout: HelpStdout, dir: URL): string | undefined {
  if (argv.length !== 1 || !STORED_HELP_ARGV.includes(argv[0] ?? '')) return undefined;
  const index = readIndex(dir);
  if (!index) return undefined;
  const id = textFor(index, stdout);
  if (id === undefined) return undefined;
  return read(new URL(`${id}.txt`, dir));
}

/** The text id for this stdout, or undefined (a width the store does not hold, or no usable width). */
export function textFor(index: HelpStoreIndex, stdout: HelpStdout): number | undefined {
  // Commander: `isTTY ? columns : undefined`, then `?? 80`. A TTY that reports no width is not stored.
  if (!stdout.isTTY) return index.pipe;
  const width = stdout.columns;
  if (typeof width !== 'number' || !Number.isInteger(width)) return undefined;
  for (const [from, to, id] of index.tty) if (width >= from && width <= to) return id;
  return undefined;
}

function readIndex(dir: URL): HelpStoreIndex | undefined {
  const text = read(new URL('index.json', dir));
  if (text === undefined) return undefined;
  try {
    const index = JSON.parse(text) as Partial<HelpStoreIndex>;
    if (index.format !== HELP_STORE_FORMAT || !Number.isInteger(index.pipe) || !Array.isArray(index.tty)) return undefined;
    if (!index.tty.every((r) => Array.isArray(r) && r.length === 3 && r.every((n) => Number.isInteger(n)))) return undefined;
    return index as HelpStoreIndex;
  } catch {
    return undefined;
  }
}

function read(url: URL): string | undefined {
  try {
    return readFileSync(url, 'utf8');
  } catch {
    // No store (sources run through tsx, the tsc output in dist/cli, a bundle built without it): the full CLI answers.
    return undefined;
  }
}
