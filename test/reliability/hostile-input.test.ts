/**
 * Part 3, hostile input on the command line: every bad value (IDs, names, regions, durations, dates,
 * limits, file paths and file contents, unknown and conflicting flags, shell-ish and escape-laden strings)
 * is refused with one clear error (harness `unclearError`), exit 2, nothing on stdout, no stack trace and
 * no request to AWS (the sandbox's request log is unchanged by the run). Each input runs in text mode
 * and in --json mode.
 */
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';
import { sandboxEnv } from '../helpers/sandbox.js';
import { assertNoLeaks, gd, printSummary, unclearError } from './harness.js';

const ID = WORKSHOP.findings.unauthorizedAccessCustom;
const KEY = WORKSHOP.compromised.accessKeyId;
const ESC = '\u001b[31mred\u001b]8;;http://evil.example\u0007link\u001b]8;;\u0007\r\b\u202e';

const dir = mkdtempSync(join(tmpdir(), 'gd-ir-hostile-input-'));
const file = (name: string): string => join(dir, name);

function writeFixtures(): void {
  writeFileSync(file('empty.json'), '');
  writeFileSync(file('truncated.json'), JSON.stringify({ findings: [{ id: ID, type: 'Recon:IAMUser/X', severity: 5 }] }).slice(0, 40));
  writeFileSync(file('binary.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256)));
  writeFileSync(file('nul.json'), '\u0000\u0000{"findings":[]}\u0000');
  writeFileSync(file('utf16.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"findings":[]}', 'utf16le')]));
  writeFileSync(file('array-of-numbers.json'), '[1,2,3]');
  writeFileSync(file('string.json'), '"just a string"');
  writeFileSync(file('null.json'), 'null');
  writeFileSync(file('other-object.json'), '{"Reservations":[{"Instances":[]}]}');
  writeFileSync(file('findings-not-array.json'), '{"Findings":"nope"}');
  writeFileSync(file('finding-wrong-types.json'), JSON.stringify({ Findings: [{ Id: 42, Type: ['x'], Severity: 'high' }] }));
  writeFileSync(file('deep.json'), '['.repeat(200_000) + ']'.repeat(200_000));
  writeFileSync(file('invalid-utf8.json'), Buffer.concat([Buffer.from('{"findings":[{"id":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}]}')]));
  writeFileSync(file('two-findings.json'), JSON.stringify({ Findings: [] }));
  writeFileSync(file('huge.json'), '');
  truncateSync(file('huge.json'), 25 * 1024 * 1024);
  mkdirSync(file('a-directory'));
  writeFileSync(file('existing-report.md'), '# keep me\n');
}

interface Case {
  what: string;
  argv: string[];
  stdinTTY?: boolean;
}

const CASES: Case[] = [
  // finding IDs
  { what: 'finding ID too short', argv: ['findings', 'show', 'xyz'] },
  { what: 'finding ID empty', argv: ['findings', 'show', ''] },
  { what: 'finding ID uppercase', argv: ['findings', 'show', ID.toUpperCase()] },
  { what: 'finding ID 31 characters', argv: ['findings', 'show', ID.slice(1)] },
  { what: 'finding ID 33 characters', argv: ['investigate', `${ID}0`] },
  { what: 'finding ID not hex', argv: ['investigate', 'g'.repeat(32)] },
  { what: 'finding ID with a shell command', argv: ['findings', 'show', `${ID};rm -rf /`] },
  { what: 'finding ID $(…)', argv: ['trail', '--finding', '$(id)'] },
  { what: 'finding ID with escapes', argv: ['findings', 'show', `${ID}${ESC}`] },
  { what: 'finding ID 10 000 characters', argv: ['investigate', 'a'.repeat(10_000)] },
  { what: 'finding ID path traversal', argv: ['findings', 'show', '../../../etc/passwd'] },
  { what: 'finding ID full-width digits', argv: ['findings', 'show', '０'.repeat(32)] },
  // access key IDs
  { what: 'key ID too short', argv: ['trail', '--key', 'AKIA'] },
  { what: 'key ID lowercase', argv: ['policies', '--key', KEY.toLowerCase()] },
  { what: 'key ID SQL-ish', argv: ['remediate', '--key', "AKIA' OR 1=1--", '--dry-run'] },
  { what: 'key ID with newline', argv: ['remediate', '--key', `${KEY}\nAKIAOTHER`, '--dry-run'] },
  { what: 'key ID wrong prefix', argv: ['findings', 'list', '--key', 'ABIAQCOMPROMISED0EX1'] },
  { what: 'key ID 200 characters', argv: ['trail', '--key', `ASIA${'A'.repeat(196)}`] },
  { what: 'key ID with escapes', argv: ['audit', '--key', `${KEY}${ESC}`] },
  // user and role names
  { what: 'user name with a space', argv: ['policies', 'bad name'] },
  { what: 'user name 65 characters', argv: ['policies', '--user', 'u'.repeat(65)] },
  { what: 'user name with a slash', argv: ['trail', '--user', 'user/../admin'] },
  { what: 'user name with bidi override', argv: ['findings', 'list', '--user', 'alice\u202eevil'] },
  { what: 'user name with escapes', argv: ['trail', '--user', `bad${ESC}`] },
  { what: 'role name with a slash', argv: ['policies', '--role', 'a/b'] },
  { what: 'role name wildcard', argv: ['policies', '--role', '*'] },
  { what: 'role name 65 characters', argv: ['policies', '--role', 'r'.repeat(65)] },
  // regions
  { what: '--region with a space', argv: ['findings', 'list', '--region', 'us west'] },
  { what: '--region path', argv: ['investigate', ID, '--region', '../../x'] },
  { what: '--region with escapes', argv: ['trail', '--key', KEY, '--region', `x${ESC}`] },
  { what: '--region host injection', argv: ['findings', 'show', ID, '--region', 'evil.com#'] },
  { what: '--regions with an empty element', argv: ['findings', 'list', '--regions', 'us-east-1,,'] },
  { what: '--regions not a region', argv: ['trail', '--key', KEY, '--regions', 'mars'] },
  { what: 'AWS_REGION malformed (env)', argv: ['findings', 'list'] },
  // durations and dates
  { what: 'negative duration', argv: ['findings', 'list', '--since', '-5d'] },
  { what: 'unknown unit', argv: ['trail', '--key', KEY, '--since', '5x'] },
  { what: 'exponent duration', argv: ['trail', '--key', KEY, '--since', '1e3h'] },
  { what: 'words as a date', argv: ['findings', 'list', '--since', 'yesterday'] },
  { what: 'February 30th', argv: ['trail', '--key', KEY, '--since', '2026-02-30'] },
  { what: 'month 13', argv: ['trail', '--key', KEY, '--until', '2026-13-01'] },
  { what: 'hour 25', argv: ['trail', '--key', KEY, '--since', '2026-11-20T25:00:00Z'] },
  { what: 'empty window', argv: ['trail', '--key', KEY, '--since', '1h', '--until', '1d'] },
  // numbers
  { what: '--limit 0', argv: ['findings', 'list', '--limit', '0'] },
  { what: '--limit negative', argv: ['findings', 'list', '--limit', '-1'] },
  { what: '--limit too large', argv: ['findings', 'list', '--limit', '10001'] },
  { what: '--limit fraction', argv: ['findings', 'list', '--limit', '1.5'] },
  { what: '--limit hex', argv: ['findings', 'list', '--limit', '0x10'] },
  { what: '--min-severity NaN', argv: ['findings', 'list', '--min-severity', 'NaN'] },
  { what: '--min-severity 11', argv: ['findings', 'list', '--min-severity', '11'] },
  { what: '--severity unknown', argv: ['findings', 'list', '--severity', 'extreme'] },
  { what: '--max-events 0', argv: ['trail', '--key', KEY, '--max-events', '0'] },
  { what: '--max-events exponent', argv: ['investigate', ID, '--max-events', '1e3'] },
  { what: '--rate 0', argv: ['trail', '--key', KEY, '--rate', '0'] },
  { what: '--rate 11', argv: ['trail', '--key', KEY, '--rate', '11'] },
  { what: '--type empty', argv: ['findings', 'list', '--type', ''] },
  // trail filters
  { what: '--event with a space', argv: ['trail', '--key', KEY, '--event', 'Get Parameters'] },
  { what: '--source shell-ish', argv: ['trail', '--key', KEY, '--source', 'iam; curl evil'] },
  { what: '--ip shell-ish', argv: ['trail', '--key', KEY, '--ip', '1.2.3.4`id`'] },
  // files
  { what: 'file missing', argv: ['findings', 'list', '--from-file', file('missing.json')] },
  { what: 'file is a directory', argv: ['findings', 'show', '--from-file', file('a-directory')] },
  { what: 'file is /dev/zero (endless)', argv: ['findings', 'list', '--from-file', '/dev/zero'] },
  { what: 'file of 25 MiB', argv: ['investigate', '--from-file', file('huge.json')] },
  { what: 'file binary', argv: ['findings', 'list', '--from-file', file('binary.bin')] },
  { what: 'file empty', argv: ['findings', 'show', '--from-file', file('empty.json')] },
  { what: 'file truncated JSON', argv: ['investigate', '--from-file', file('truncated.json')] },
  { what: 'file with NUL bytes', argv: ['findings', 'list', '--from-file', file('nul.json')] },
  { what: 'file UTF-16', argv: ['findings', 'list', '--from-file', file('utf16.json')] },
  { what: 'file JSON array of numbers', argv: ['findings', 'list', '--from-file', file('array-of-numbers.json')] },
  { what: 'file JSON string', argv: ['findings', 'show', '--from-file', file('string.json')] },
  { what: 'file JSON null', argv: ['investigate', '--from-file', file('null.json')] },
  { what: 'file other AWS response', argv: ['findings', 'list', '--from-file', file('other-object.json')] },
  { what: 'file Findings not an array', argv: ['findings', 'list', '--from-file', file('findings-not-array.json')] },
  { what: 'file finding with wrong types', argv: ['findings', 'show', '--from-file', file('finding-wrong-types.json')] },
  { what: 'file nested 200 000 deep', argv: ['findings', 'list', '--from-file', file('deep.json')] },
  { what: 'file invalid UTF-8', argv: ['findings', 'show', '--from-file', file('invalid-utf8.json')] },
  { what: 'file with no findings for show', argv: ['findings', 'show', '--from-file', file('two-findings.json')] },
  { what: 'file path with escapes', argv: ['findings', 'list', '--from-file', file(`missing${ESC}.json`)] },
  { what: 'file path under a file', argv: ['findings', 'list', '--from-file', '/etc/passwd/x.json'] },
  { what: '--from-file - on a terminal', argv: ['findings', 'list', '--from-file', '-'], stdinTTY: true },
  { what: '--report in a missing directory', argv: ['investigate', ID, '--report', file('no/such/dir/report.md')] },
  { what: '--report is a directory', argv: ['investigate', ID, '--report', file('a-directory'), '--force'] },
  { what: '--report exists, no --force', argv: ['investigate', ID, '--report', file('existing-report.md')] },
  // flags
  { what: 'unknown option', argv: ['findings', 'list', '--bogus'] },
  { what: 'unknown command', argv: ['frobnicate'] },
  { what: 'unknown subcommand', argv: ['findings', 'lst'] },
  { what: 'missing option value', argv: ['findings', 'list', '--limit'] },
  { what: 'invalid choice', argv: ['findings', 'list', '--sort', 'random'] },
  { what: 'extra argument', argv: ['findings', 'show', ID, ID] },
  { what: 'option with escapes', argv: ['findings', 'list', `--${ESC}`] },
  { what: 'option with a line break', argv: ['trail', '--key', KEY, '--evil\nerror: forged second line'] },
  { what: 'endpoint file://', argv: ['findings', 'list', '--endpoint-url', 'file:///etc/passwd'] },
  { what: 'endpoint javascript:', argv: ['policies', 'dev-alice', '--endpoint-url', 'javascript:alert(1)'] },
  // conflicting flags and missing subjects
  { what: '--archived with --all', argv: ['findings', 'list', '--archived', '--all'] },
  { what: '--from-file with --regions', argv: ['findings', 'list', '--from-file', file('empty.json'), '--regions', 'all'] },
  { what: 'trail --finding with --key', argv: ['trail', '--finding', ID, '--key', KEY] },
  { what: 'trail --read-only with --write-only', argv: ['trail', '--key', KEY, '--read-only', '--write-only'] },
  { what: 'trail --jsonl with --json', argv: ['trail', '--key', KEY, '--jsonl', '--json'] },
  { what: 'trail without a subject', argv: ['trail'] },
  { what: 'policies two subjects', argv: ['policies', 'x', '--user', 'y'] },
  { what: 'policies without a subject', argv: ['policies'] },
  { what: 'policies temporary key', argv: ['policies', '--key', WORKSHOP.compromised.derivedSessionKeyId] },
  { what: 'investigate ID and --from-file', argv: ['investigate', ID, '--from-file', file('empty.json')] },
  { what: 'investigate without a subject', argv: ['investigate'] },
  { what: 'remediate --key and --finding', argv: ['remediate', '--key', KEY, '--finding', ID] },
  { what: 'remediate without a subject', argv: ['remediate'] },
  { what: 'remediate without --yes, not interactive', argv: ['remediate', '--key', KEY] },
];

/** Cases whose failure depends on the environment rather than argv. */
const ENV: Record<string, Record<string, string>> = { 'AWS_REGION malformed (env)': { AWS_REGION: 'us-west-2; rm -rf /' } };

const counts = { inputs: 0, runs: 0 };

describe('hostile command-line input', () => {
  let sb: RunningSandbox;
  let stateDir: string;
  beforeAll(async () => {
    writeFixtures();
    stateDir = mkdtempSync(join(tmpdir(), 'gd-ir-hostile-state-'));
    sb = await startSandbox({ port: 0, cloudTrailRateLimit: false });
  });
  afterAll(async () => {
    await sb?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
    const scanned = assertNoLeaks();
    printSummary('hostile command-line input', { 'inputs tried': counts.inputs, runs: counts.runs, 'outputs scanned for secrets': scanned });
  });

  it('the corpus holds at least 60 distinct bad inputs', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.what)).size).toBe(CASES.length);
  });

  it('each is refused with one clear line, exit 2, empty stdout and no AWS call', { timeout: 120_000 }, async () => {
    const problems: string[] = [];
    for (const c of CASES) {
      counts.inputs++;
      for (const json of [false, true]) {
        const before = sb.requests.length;
        const run = await gd(json ? [...c.argv, '--json'] : c.argv, {
          env: sandboxEnv(sb, { XDG_STATE_HOME: stateDir, GD_IR_AUDIT_LOG: join(stateDir, 'audit.jsonl'), ...ENV[c.what] }),
          stdinTTY: c.stdinTTY ?? false,
        });
        counts.runs++;
        const calls = sb.requests.slice(before).map((r) => `${r.service}:${r.operation}`);
        const where = `${c.what}${json ? ' [--json]' : ''}`;
        if (run.code !== 2) problems.push(`${where}: exit ${run.code}; stderr ${JSON.stringify(run.stderr.slice(0, 200))}`);
        if (run.stdout !== '') problems.push(`${where}: stdout ${JSON.stringify(run.stdout.slice(0, 120))}`);
        if (calls.length > 0) problems.push(`${where}: called AWS: ${calls.join(', ')}`);
        const unclear = unclearError(run.stderr, json || c.argv.includes('--json'));
        if (unclear) problems.push(`${where}: ${unclear}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
