/**
 * Builds the stored top-level help (src/cli/help-store.ts) by running the real CLI: `runCli(['--help'])` with
 * stdout posing as a terminal of every width from 0 to MAX_STORED_WIDTH columns, and as a pipe. Commander reads
 * the help width from the process's own stdout (`isTTY`, `columns`) and colour from `process.env`, so for each
 * render those two are replaced by exactly the case being rendered and restored afterwards.
 *
 * The store may only answer when its bytes are the ones the full CLI prints, so the build proves, for every case
 * stored, that nothing but the width matters, and fails otherwise:
 * - colour: colour forced (FORCE_COLOR=3, chalk and commander both on) prints the same bytes as NO_COLOR, with no
 *   escape sequence, so NO_COLOR, FORCE_COLOR, --no-color, TERM and COLORTERM cannot change it;
 * - the other streams: stdin and stderr being terminals changes nothing;
 * - `-h` prints what `--help` prints;
 * - the environment: the help reads no variable but those colour ones (a GD_IR_* variable, or the configuration
 *   file, whose path comes from the environment, would make the help depend on the user's setup);
 * - exit code 0 and nothing on stderr.
 */
import type { runCli as RunCliFn, RunDeps } from '../src/cli/run.js';
import { HELP_STORE_FORMAT, STORED_HELP_ARGV, type HelpStoreIndex } from '../src/cli/help-store.js';

export type RunCli = typeof RunCliFn;

/** Widths stored; a wider terminal gets the full CLI. The help stops changing at about 290 columns. */
export const MAX_STORED_WIDTH = 1000;

/** Environment variables the help may read: all of them decide colour only, which the build proves irrelevant. */
export const COLOUR_VARIABLES: readonly string[] = ['NO_COLOR', 'FORCE_COLOR', 'CLICOLOR_FORCE', 'TERM', 'COLORTERM'];

export interface HelpStore {
  index: HelpStoreIndex;
  /** By id: `<id>.txt`. */
  texts: string[];
}

interface Case {
  argv: readonly string[];
  /** stdout as commander and the IO see it. */
  stdout: { isTTY: boolean; columns?: number };
  env: Record<string, string>;
  /** stdin and stderr are terminals too. */
  otherTTYs: boolean;
}

export class HelpStoreError extends Error {}

/** Renders every stored case and returns the store, or throws HelpStoreError saying what the help depends on. */
export async function buildHelpStore(runCli: RunCli, maxWidth = MAX_STORED_WIDTH): Promise<HelpStore> {
  const [first, ...others] = STORED_HELP_ARGV;
  if (first === undefined) throw new HelpStoreError('no argv to store');
  const texts: string[] = [];
  const ids = new Map<string, number>();
  const idOf = (text: string): number => {
    let id = ids.get(text);
    if (id === undefined) {
      id = texts.length;
      texts.push(text);
      ids.set(text, id);
    }
    return id;
  };

  const proven = async (stdout: Case['stdout'], where: string): Promise<number> => {
    const reference = await render(runCli, { argv: [first], stdout, env: { NO_COLOR: '1' }, otherTTYs: false }, where);
    if (!reference.includes('Usage: gd-ir')) throw new HelpStoreError(`${where}: the help has no usage line: ${JSON.stringify(reference.slice(0, 200))}`);
    if (reference.includes('\u001b')) throw new HelpStoreError(`${where}: the help holds an escape sequence with NO_COLOR`);
    const variants: Array<[string, Case]> = [
      ['with colour forced (FORCE_COLOR=3)', { argv: [first], stdout, env: { FORCE_COLOR: '3' }, otherTTYs: false }],
      ['with stdin and stderr on a terminal', { argv: [first], stdout, env: { NO_COLOR: '1' }, otherTTYs: true }],
      ...others.map((a): [string, Case] => [`for ${a}`, { argv: [a], stdout, env: { NO_COLOR: '1' }, otherTTYs: false }]),
    ];
    for (const [what, c] of variants) {
      const text = await render(runCli, c, where);
      if (text !== reference) throw new HelpStoreError(`${where}: the help ${what} differs from ${first} with NO_COLOR: ${firstDifference(reference, text)}`);
    }
    return idOf(reference);
  };

  const pipe = await proven({ isTTY: false }, 'stdout not a terminal');
  const tty: HelpStoreIndex['tty'] = [];
  for (let width = 0; width <= maxWidth; width++) {
    const id = await proven({ isTTY: true, columns: width }, `a terminal of ${width} columns`);
    const last = tty[tty.length - 1];
    if (last && last[2] === id && last[1] === width - 1) last[1] = width;
    else tty.push([width, width, id]);
  }
  return { index: { format: HELP_STORE_FORMAT, pipe, tty }, texts };
}

/** One run of the CLI for one case: what it printed on stdout (it must exit 0 and print nothing on stderr). */
async function render(runCli: RunCli, c: Case, where: string): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (chunks: string[], shape: Case['stdout']) => ({
    ...shape,
    write: (s: string) => chunks.push(s) > 0,
    on: () => undefined,
  });
  const other = c.otherTTYs ? { isTTY: true, columns: c.stdout.columns ?? 80 } : { isTTY: false };
  const reads = new Set<string>();
  const streams = { stdin: { isTTY: other.isTTY } as unknown as RunDeps['streams']['stdin'], stdout: stream(out, c.stdout), stderr: stream(err, other) };
  const restore = impose(c, reads);
  let code: number;
  try {
    code = await runCli(c.argv, { streams, env: watchEnv(c.env, reads) });
  } finally {
    restore();
  }
  const run = `${where}, ${c.argv.join(' ')} with ${JSON.stringify(c.env)}`;
  if (code !== 0) throw new HelpStoreError(`${run}: exit ${code}: ${err.join('')}`);
  if (err.length > 0) throw new HelpStoreError(`${run}: printed on stderr: ${err.join('')}`);
  const unexpected = [...reads].filter((k) => !COLOUR_VARIABLES.includes(k));
  if (unexpected.length > 0) throw new HelpStoreError(`${run}: the help reads the environment (${unexpected.join(', ')}), so a stored text could differ from what the CLI prints`);
  return out.join('');
}

/** An environment that records every variable read; listing all of them counts as reading `*`. */
function watchEnv(env: Record<string, string>, reads: Set<string>): Record<string, string | undefined> {
  return new Proxy(
    { ...env },
    {
      get: (target, key) => {
        if (typeof key === 'string') reads.add(key);
        return Reflect.get(target, key) as unknown;
      },
      has: (target, key) => {
        if (typeof key === 'string') reads.add(key);
        return Reflect.has(target, key);
      },
      ownKeys: (target) => {
        reads.add('*');
        return Reflect.ownKeys(target);
      },
    },
  );
}

/** Gives process.stdout the case's shape and process.env the case's variables (reads recorded); returns the undo. */
function impose(c: Case, reads: Set<string>): () => void {
  const stdout = process.stdout as unknown as Record<string, unknown>;
  const saved = (['isTTY', 'columns', 'hasColors'] as const).map((key) => [key, Object.getOwnPropertyDescriptor(stdout, key)] as const);
  const env = process.env;
  const set = (key: string, value: unknown) => Object.defineProperty(stdout, key, { value, configurable: true, writable: true, enumerable: true });
  set('isTTY', c.stdout.isTTY ? true : undefined);
  set('columns', c.stdout.columns);
  // A terminal's own colour depth (Node reads a dozen variables for it) is one more colour input: commander
  // asks it only when no colour variable decides. Absent here; colour is proven irrelevant either way.
  set('hasColors', undefined);
  process.env = watchEnv(c.env, reads) as NodeJS.ProcessEnv;
  return () => {
    process.env = env;
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(stdout, key, descriptor);
      else delete stdout[key];
    }
  };
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at character ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 20), i + 40))} vs ${JSON.stringify(b.slice(Math.max(0, i - 20), i + 40))}`;
}
