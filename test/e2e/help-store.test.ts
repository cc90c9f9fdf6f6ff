/**
 * `gd-ir --help` answered from the stored help (src/cli/help-store.ts, written by `npm run build`): the built
 * binary prints, byte for byte, what the full CLI prints, on a pipe and on terminals of many widths, with colour
 * on, off and forced; and it does so without loading commander (the import trace), except where the store holds
 * no text (a terminal wider than it covers), where the full CLI answers.
 *
 * The full CLI is the same entry compiled by tsc, `node dist/cli/entry.js`: it has no store beside it, so it
 * builds commander's program (each reference run's trace shows commander loaded, or the comparison would be of
 * the store with itself).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv } from '../helpers/cli.js';
import { assertBuilt, BIN, ROOT } from '../helpers/bin.js';

const FULL = join(ROOT, 'dist/cli/entry.js');
const TRACER = join(ROOT, 'test/helpers/trace-imports.mjs');
const HAVE_SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'gd-ir-help-store-'));
let traces = 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every module the process resolved. */
  loaded: string[];
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `node <entry> <args>` with the import tracer; stdout is a pipe, or with `columns` the terminal of a
 * pseudo-terminal (util-linux `script`) of that width, output passed through untouched (`stty -onlcr`).
 */
function run(entry: string, args: string[], env: Record<string, string | undefined>, columns?: number): Promise<Run> {
  assertBuilt();
  const trace = join(tmp, `trace-${traces++}.txt`);
  writeFileSync(trace, '');
  const node = [process.execPath, '--import', TRACER, entry, ...args];
  const [file, argv] =
    columns === undefined
      ? [node[0] ?? '', node.slice(1)]
      : ['script', ['-q', '-e', '-c', `stty cols ${columns} rows 24 -onlcr && exec ${node.map(quote).join(' ')}`, '/dev/null']];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { env: { ...env, GD_IR_TRACE_IMPORTS: trace } as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, loaded: readFileSync(trace, 'utf8').split('\n').filter(Boolean) });
    });
    child.stdin.end();
  });
}

/** Commander was loaded: from node_modules, or inside one of the bundle's chunks (esbuild bundles it). */
function loadsCommander(r: Run): boolean {
  return r.loaded.some((url) => {
    if (/node_modules\/commander\//.test(url)) return true;
    const chunk = /^file:\/\/(.*\/dist\/bundle\/[^/]+\.js)$/.exec(url)?.[1];
    return chunk !== undefined && readFileSync(chunk, 'utf8').includes('commander.helpDisplayed');
  });
}

/** The fast path answered: the binary, the bundle's entry, nothing with commander in it. */
function expectStored(r: Run, what: string): void {
  expect(r.loaded.some((u) => u.endsWith('/bin/gd-ir.js')), `${what}: the trace saw the binary`).toBe(true);
  expect(r.loaded.some((u) => u.endsWith('/dist/bundle/entry.js')), `${what}: the trace saw the bundle's entry`).toBe(true);
  expect(loadsCommander(r), `${what}: commander loaded`).toBe(false);
}

async function compare(args: string[], env: Record<string, string | undefined>, columns: number | undefined, expectFast: boolean): Promise<void> {
  const what = `gd-ir ${args.join(' ')} ${columns === undefined ? 'piped' : `on a ${columns}-column terminal`} with ${JSON.stringify(env)}`;
  const fast = await run(BIN, args, baseEnv(env), columns);
  const full = await run(FULL, args, baseEnv(env), columns);
  expect(loadsCommander(full), `${what}: the reference run is the full CLI`).toBe(true);
  expect({ code: fast.code, stderr: fast.stderr }, what).toEqual({ code: 0, stderr: '' });
  expect({ code: full.code, stderr: full.stderr }, what).toEqual({ code: 0, stderr: '' });
  expect(fast.stdout, what).toContain('Usage: gd-ir [options] [command]');
  expect(fast.stdout, `${what}: byte for byte`).toBe(full.stdout);
  if (expectFast) expectStored(fast, what);
  else expect(loadsCommander(fast), `${what}: the full CLI answered`).toBe(true);
}

describe('gd-ir --help from the stored help (built binary)', () => {
  it('piped: the same bytes as the full CLI, whatever the colour and AWS or gd-ir settings, for --help and -h', { timeout: 120_000 }, async () => {
    const config = join(tmp, 'config.ini');
    writeFileSync(config, '[defaults]\nregion = eu-west-1\n\n[logs]\nsource = s3://bucket/AWSLogs/\n');
    const envs: Array<Record<string, string>> = [
      {},
      { NO_COLOR: '1' },
      { FORCE_COLOR: '1' },
      { FORCE_COLOR: '3', TERM: 'xterm-256color', COLORTERM: 'truecolor' },
      { CLICOLOR_FORCE: '1' },
      { GD_IR_CONFIG: config, AWS_REGION: 'ap-southeast-2', AWS_PROFILE: 'ir', COLUMNS: '40' },
    ];
    for (const env of envs) for (const args of [['--help'], ['-h']]) await compare(args, env, undefined, true);
  });

  describe.skipIf(!HAVE_SCRIPT)('on a terminal (a pseudo-terminal through `script`)', () => {
    // Around commander's limits (no wrapping below 40 columns of description), the common widths, and the
    // width from which the help no longer changes (about 290) up to the widest stored.
    const WIDTHS = [0, 39, 40, 57, 80, 81, 132, 200, 288, 1000];
    const ENVS: Array<Record<string, string>> = [{ TERM: 'xterm-256color' }, { TERM: 'xterm-256color', NO_COLOR: '1' }, { TERM: 'xterm-256color', FORCE_COLOR: '3', COLORTERM: 'truecolor' }];

    it('every width and colour setting: the same bytes as the full CLI, without loading commander', { timeout: 180_000 }, async () => {
      const outputs = new Set<string>();
      for (const columns of WIDTHS) {
        for (const env of ENVS) {
          await compare(['--help'], env, columns, true);
        }
        outputs.add((await run(BIN, ['--help'], baseEnv(ENVS[0]), columns)).stdout);
      }
      // The widths matter: the comparison covered several different texts.
      expect(outputs.size).toBeGreaterThanOrEqual(6);
      await compare(['-h'], ENVS[0] ?? {}, 57, true);
    });

    it('a terminal wider than the store holds: the full CLI answers (and the trace sees commander in the bundle)', { timeout: 60_000 }, async () => {
      await compare(['--help'], { TERM: 'xterm-256color' }, 1001, false);
    });
  });

  it('anything but --help or -h alone goes to the full CLI', { timeout: 60_000 }, async () => {
    for (const args of [['--help', '--no-color'], ['trail', '--help']]) {
      const r = await run(BIN, args, baseEnv());
      expect(r.code, args.join(' ')).toBe(0);
      expect(loadsCommander(r), `gd-ir ${args.join(' ')} loads commander`).toBe(true);
    }
  });
});
