/**
 * The stored top-level help: the lookup the entry point makes (src/cli/help-store.ts), and the build that
 * writes the store (scripts/help-store-build.ts), run here on the real CLI from the sources and on fake CLIs
 * whose help depends on something besides the width, which the build must refuse. The built binary is checked
 * byte for byte against the full CLI in test/e2e/help-store.test.ts.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HELP_STORE_FORMAT, storedTopHelp, textFor, type HelpStoreIndex } from '../../../src/cli/help-store.js';
import { runCli } from '../../../src/cli/run.js';
import { buildHelpStore, type RunCli } from '../../../scripts/help-store-build.js';
import { runInProcess } from '../../helpers/cli.js';

const INDEX: HelpStoreIndex = { format: HELP_STORE_FORMAT, pipe: 0, tty: [[0, 39, 1], [40, 79, 2], [80, 80, 0], [81, 300, 3]] };

function storeDir(files: Record<string, string>): URL {
  const dir = mkdtempSync(join(tmpdir(), 'gd-ir-help-store-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return pathToFileURL(`${dir}/`);
}

const STORE = { 'index.json': JSON.stringify(INDEX), '0.txt': 'pipe or 80\n', '1.txt': 'narrow\n', '2.txt': 'medium\n', '3.txt': 'wide\n' };

describe('the stored help lookup', () => {
  it('picks the text by what commander reads: not a TTY → the pipe text, a TTY → its columns', () => {
    expect(textFor(INDEX, {})).toBe(0);
    expect(textFor(INDEX, { isTTY: false, columns: 30 })).toBe(0);
    expect(textFor(INDEX, { isTTY: true, columns: 0 })).toBe(1);
    expect(textFor(INDEX, { isTTY: true, columns: 39 })).toBe(1);
    expect(textFor(INDEX, { isTTY: true, columns: 40 })).toBe(2);
    expect(textFor(INDEX, { isTTY: true, columns: 80 })).toBe(0);
    expect(textFor(INDEX, { isTTY: true, columns: 300 })).toBe(3);
  });

  it('has no text for a width it does not hold, nor for a TTY without an integer width (the full CLI answers)', () => {
    for (const columns of [301, 5000, -1, 80.5, Number.NaN, undefined]) expect(textFor(INDEX, { isTTY: true, columns }), String(columns)).toBeUndefined();
  });

  it('answers --help and -h alone, and nothing else', () => {
    const dir = storeDir(STORE);
    expect(storedTopHelp(['--help'], { isTTY: true, columns: 50 }, dir)).toBe('medium\n');
    expect(storedTopHelp(['-h'], {}, dir)).toBe('pipe or 80\n');
    for (const argv of [[], ['help'], ['--help', '--json'], ['--no-color', '--help'], ['trail', '--help'], ['--version'], ['--HELP']]) {
      expect(storedTopHelp(argv, {}, dir), argv.join(' ')).toBeUndefined();
    }
  });

  it('falls back when the store is missing, cut short, of another format or malformed', () => {
    const cases: Record<string, Record<string, string>> = {
      'no store': {},
      'no index': { '0.txt': 'x' },
      'no text': { 'index.json': JSON.stringify(INDEX) },
      'another format': { ...STORE, 'index.json': JSON.stringify({ ...INDEX, format: HELP_STORE_FORMAT + 1 }) },
      'not JSON': { ...STORE, 'index.json': '{"format":1,' },
      'bad ranges': { ...STORE, 'index.json': JSON.stringify({ ...INDEX, tty: [[0, 'x', 1]] }) },
      'no pipe text': { ...STORE, 'index.json': JSON.stringify({ format: HELP_STORE_FORMAT, tty: [] }) },
    };
    for (const [what, files] of Object.entries(cases)) expect(storedTopHelp(['--help'], {}, storeDir(files)), what).toBeUndefined();
    const missing = pathToFileURL(join(tmpdir(), 'gd-ir-no-such-store', '/'));
    expect(storedTopHelp(['--help'], {}, missing)).toBeUndefined();
    const sub = mkdtempSync(join(tmpdir(), 'gd-ir-help-store-'));
    mkdirSync(join(sub, 'index.json'));
    expect(storedTopHelp(['--help'], {}, pathToFileURL(`${sub}/`)), 'index.json a directory').toBeUndefined();
  });
});

/** A fake CLI printing `Usage: gd-ir` and whatever `extra` says, with the width commander would use. */
function fakeCli(extra: (argv: readonly string[], deps: Parameters<RunCli>[1]) => string | { code?: number; stderr?: string; stdout?: string }): RunCli {
  return async (argv, deps) => {
    const width = process.stdout.isTTY ? process.stdout.columns : undefined;
    const r = extra(argv, deps);
    const more = typeof r === 'string' ? { stdout: r } : r;
    deps.streams.stdout.write(`Usage: gd-ir (${width ?? 80} columns)\n${more.stdout ?? ''}`);
    if (more.stderr) deps.streams.stderr.write(more.stderr);
    return more.code ?? 0;
  };
}

describe('building the store', () => {
  it('from the real CLI: the pipe text and a terminal width are what runCli prints, with ranges covering 0…max', async () => {
    const store = await buildHelpStore(runCli, 120);
    const full = await runInProcess(['--help']);
    // In this process stdout is not a terminal: the full CLI wrapped to 80 columns.
    expect(store.texts[store.index.pipe]).toBe(full.stdout);
    expect(store.texts[textFor(store.index, { isTTY: true, columns: 80 }) ?? -1]).toBe(full.stdout);
    expect(store.index.tty[0]?.[0]).toBe(0);
    expect(store.index.tty[store.index.tty.length - 1]?.[1]).toBe(120);
    for (let i = 1; i < store.index.tty.length; i++) expect(store.index.tty[i]?.[0]).toBe((store.index.tty[i - 1]?.[1] ?? 0) + 1);
    // Narrower terminals wrap the program description differently.
    expect(store.texts[textFor(store.index, { isTTY: true, columns: 60 }) ?? -1]).not.toBe(full.stdout);
    expect(new Set(store.texts).size).toBe(store.texts.length);
  });

  it('renders each width with stdout posing as that terminal, and restores stdout and the environment', async () => {
    const before = { isTTY: process.stdout.isTTY, columns: process.stdout.columns, env: process.env };
    const store = await buildHelpStore(fakeCli(() => ''), 100);
    expect(store.texts[store.index.pipe]).toBe('Usage: gd-ir (80 columns)\n');
    expect(storedText(store, 0)).toBe('Usage: gd-ir (0 columns)\n');
    expect(storedText(store, 57)).toBe('Usage: gd-ir (57 columns)\n');
    expect(store.index.tty).toHaveLength(101);
    expect(textFor(store.index, { isTTY: true, columns: 80 })).toBe(store.index.pipe);
    expect({ isTTY: process.stdout.isTTY, columns: process.stdout.columns, env: process.env }).toEqual(before);
    expect(process.env).toBe(before.env);
  });

  it('merges widths that print the same text into one range', async () => {
    const store = await buildHelpStore(fakeCli(() => ''), 0);
    expect(store.index.tty).toEqual([[0, 0, 1]]);
    const capped = await buildHelpStore(async (_argv, deps) => {
      const columns = process.stdout.isTTY ? Math.min(process.stdout.columns, 50) : 'pipe';
      deps.streams.stdout.write(`Usage: gd-ir ${columns}\n`);
      return 0;
    }, 60);
    expect(capped.index.tty.slice(-2)).toEqual([[49, 49, 50], [50, 60, 51]]);
  });

  const refusals: Array<[string, RunCli, RegExp]> = [
    [
      'colour codes when colour is forced',
      fakeCli(() => (process.env.FORCE_COLOR ? '\u001b[1mCommands:\u001b[22m\n' : 'Commands:\n')),
      /colour forced \(FORCE_COLOR=3\) differs/,
    ],
    ['an escape sequence even with NO_COLOR', fakeCli(() => '\u001b[1mCommands:\u001b[22m\n'), /escape sequence with NO_COLOR/],
    ['a text that depends on the configuration file (read through the env)', fakeCli((_a, deps) => `${deps.env.GD_IR_CONFIG ?? ''}\n`), /reads the environment \(GD_IR_CONFIG\)/],
    ['a text that depends on a variable commander reads', fakeCli(() => `${process.env.HOME ?? ''}\n`), /reads the environment \(HOME\)/],
    ['a text that lists the environment', fakeCli((_a, deps) => `${Object.keys(deps.env).length}\n`), /reads the environment \(\*\)/],
    ['-h printing something else', fakeCli((argv) => (argv[0] === '-h' ? 'short\n' : '')), /for -h differs/],
    ['stdin or stderr on a terminal changing the text', fakeCli((_a, deps) => (deps.streams.stderr.isTTY ? 'tty\n' : '')), /stdin and stderr on a terminal differs/],
    ['a non-zero exit', fakeCli(() => ({ code: 2 })), /exit 2/],
    ['anything on stderr', fakeCli(() => ({ stderr: 'warning: x\n' })), /printed on stderr: warning: x/],
    ['no usage line', async () => 0, /no usage line/],
  ];
  for (const [what, cli, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const env = process.env;
      await expect(buildHelpStore(cli, 3)).rejects.toThrow(message);
      expect(process.env).toBe(env);
    });
  }
});

function storedText(store: { index: HelpStoreIndex; texts: string[] }, columns: number): string | undefined {
  const id = textFor(store.index, { isTTY: true, columns });
  return id === undefined ? undefined : store.texts[id];
}
