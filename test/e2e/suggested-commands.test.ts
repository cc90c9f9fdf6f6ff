/**
 * Every command an investigation suggests, run as printed (writes with --dry-run) by the built binary:
 * each must act on the place the investigation read (the sandbox, or the named profile), and the
 * terminal report and --json must carry the same lines.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/index.js';
import { ORG } from '../../src/sandbox/scenarios/org-facts.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';
import { runBin } from '../helpers/bin.js';
import { baseEnv } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';

const F = WORKSHOP.findings;

/**
 * The `$ …` command lines of a terminal report's Recommendation section, in order (the Changes section has its own
 * read-only checks, one per change, which are not recommendations).
 */
function commandsIn(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^── \d+\. Recommendation /.test(l));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('── '));
  return lines.slice(start, end === -1 ? undefined : end).filter((l) => l.startsWith('    $ ')).map((l) => l.slice(6));
}

/** Shell words of a suggested command line (single quotes only: the only quoting commandLine emits). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] ?? ''));
  return words;
}

// Every suggestion of an investigation, run as printed (writes as --dry-run): each must act on the place the
// investigation read, and the terminal and JSON must carry the same lines.
describe('every suggested command runs where the investigation ran', () => {
  const sb = useSandbox();

  async function suggestionsOf(argv: string[], runEnv: Record<string, string | undefined>): Promise<string[]> {
    const text = await runBin([...argv, 'investigate', F.unauthorizedAccessCustom], { env: runEnv });
    const json = await runBin([...argv, 'investigate', F.unauthorizedAccessCustom, '--json'], { env: runEnv });
    expect(text.code, text.stderr).toBe(0);
    expect(json.code, json.stderr).toBe(0);
    const rec = (JSON.parse(json.stdout) as { recommendation: { commands: string[]; watch: string[] } }).recommendation;
    const lines = [...rec.commands, ...rec.watch];
    expect(commandsIn(text.stdout)).toEqual(lines);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    return lines;
  }

  /** Runs a suggested line in-process; returns its exit code with what it printed on stderr (for the failure message). */
  async function runSuggestion(line: string, runEnv: Record<string, string | undefined>): Promise<{ code: number; why: string }> {
    const [tool, ...words] = shellWords(line);
    expect(tool).toBe('gd-ir');
    const argv = words.includes('remediate') ? [...words, '--dry-run'] : words;
    const r = await runBin(argv, { env: runEnv });
    return { code: r.code ?? -1, why: `${line}\n${r.stderr}` };
  }

  it('--sandbox: every line carries --sandbox and runs against the in-process sandbox', async () => {
    const state = mkdtempSync(join(tmpdir(), 'gd-ir-scoped-run-'));
    try {
      const runEnv = baseEnv({ XDG_STATE_HOME: state, NO_COLOR: '1' });
      const lines = await suggestionsOf(['--sandbox'], runEnv);
      for (const line of lines) {
        expect(line).toMatch(/ --sandbox$/);
        const run = await runSuggestion(line, runEnv);
        expect(run.code, run.why).toBe(0);
      }
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });

  it('a member account (org scenario): every line carries --account and the roles, and runs there', async () => {
    const state = mkdtempSync(join(tmpdir(), 'gd-ir-scoped-member-'));
    try {
      const runEnv = baseEnv({ XDG_STATE_HOME: state, NO_COLOR: '1', GD_IR_SANDBOX_SCENARIO: 'org' });
      const roles = ['--read-role', ORG.readRoleName, '--write-role', ORG.writeRoleName];
      const text = await runBin(['--sandbox', 'investigate', ORG.prod.findingId, ...roles], { env: runEnv });
      const json = await runBin(['--sandbox', 'investigate', ORG.prod.findingId, ...roles, '--json'], { env: runEnv });
      expect(json.code, json.stderr).toBe(0);
      const rec = (JSON.parse(json.stdout) as { recommendation: { commands: string[]; watch: string[] } }).recommendation;
      const lines = [...rec.commands, ...rec.watch];
      expect(commandsIn(text.stdout)).toEqual(lines);
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) {
        expect(line).toContain(`--account ${ORG.prod.accountId} --read-role ${ORG.readRoleName}`);
        const run = await runSuggestion(line, runEnv);
        expect(run.code, run.why).toBe(0);
      }
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });

  it('--profile: every line carries the profile, and running it signs with that profile\'s key', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gd-ir-scoped-profile-'));
    try {
      writeFileSync(join(home, 'credentials'), `[ir]\naws_access_key_id = ${SANDBOX_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${SANDBOX_CREDENTIALS.secretAccessKey}\n`);
      writeFileSync(join(home, 'config'), '[profile ir]\nregion = us-west-2\n');
      const runEnv = baseEnv({
        XDG_STATE_HOME: home,
        AWS_ENDPOINT_URL: sb.get().endpoint,
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      });
      const lines = await suggestionsOf(['--profile', 'ir'], runEnv);
      for (const line of lines) {
        expect(line).toMatch(/ --profile ir$/);
        const before = sb.get().requests.length;
        const run = await runSuggestion(line, runEnv);
        expect(run.code, run.why).toBe(0);
        const sent = sb.get().requests.slice(before);
        expect(sent.length, line).toBeGreaterThan(0);
        expect(sent.every((q) => q.accessKeyId === SANDBOX_CREDENTIALS.accessKeyId)).toBe(true);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
