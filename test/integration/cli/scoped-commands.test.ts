import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { baseEnv, runInProcess, ScriptedPrompter } from '../../helpers/cli.js';

const F = WORKSHOP.findings;
const C = WORKSHOP.compromised;

/** The `$ …` command lines of a terminal report, in order. */
const commandsIn = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('    $ ')).map((l) => l.slice(6));

// Suggested commands are pasted into the same shell: after a --sandbox run they must target the sandbox again,
// not the analyst's real default profile.
describe('suggested commands keep --sandbox', () => {
  const state = mkdtempSync(join(tmpdir(), 'gd-ir-scoped-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));
  const env = baseEnv({ XDG_STATE_HOME: state, NO_COLOR: '1' });

  it('investigate: the containment and watch commands, on the terminal and in the Markdown report', async () => {
    const report = join(state, 'report.md');
    const r = await runInProcess(['--sandbox', 'investigate', F.unauthorizedAccessCustom, '--report', report], { env });
    expect(r.code).toBe(0);
    const remediate = `gd-ir remediate --key ${C.accessKeyId} --user ${C.userName} --revoke-sessions --sandbox`;
    expect(r.stdout).toContain(`    $ ${remediate}\n`);
    expect(r.stdout).toContain(`    $ gd-ir trail --key ${C.accessKeyId} --since 1h --sandbox\n`);
    for (const line of r.stdout.split('\n').filter((l) => l.includes('$ gd-ir '))) expect(line).toMatch(/ --sandbox$/);
    expect(readFileSync(report, 'utf8')).toContain(remediate);
  });

  it('the triage console on the sandbox: the Recommendation section', async () => {
    const prompter = new ScriptedPrompter([{ kind: 'finding', id: F.unauthorizedAccessCustom }, 'recommendation', 'back', { kind: 'quit' }]);
    const r = await runInProcess(['--sandbox', 'triage'], { stdinTTY: true, stderrTTY: true, stdoutTTY: true, columns: 200, env, prompter });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`    $ gd-ir remediate --key ${C.accessKeyId} --user ${C.userName} --revoke-sessions --sandbox\n`);
    expect(r.stdout).toContain(`    $ gd-ir trail --key ${C.accessKeyId} --since 1h --sandbox\n`);
  });

  it('investigate --json carries exactly the commands the terminal printed, scoped to the sandbox', async () => {
    const text = await runInProcess(['--sandbox', 'investigate', F.unauthorizedAccessCustom], { env });
    const json = await runInProcess(['--sandbox', 'investigate', F.unauthorizedAccessCustom, '--json'], { env });
    expect(json.code).toBe(0);
    const j = JSON.parse(json.stdout) as { recommendation: { commands: string[]; watch: string[]; suggestions: Array<{ command: string }> } };
    expect(j.recommendation.commands).toEqual([`gd-ir remediate --key ${C.accessKeyId} --user ${C.userName} --revoke-sessions --sandbox`]);
    expect(commandsIn(text.stdout)).toEqual([...j.recommendation.commands, ...j.recommendation.watch]);
    expect(j.recommendation.suggestions.map((x) => x.command)).toEqual([...j.recommendation.commands, ...j.recommendation.watch]);
  });

  it('findings show and findings list: the next steps', async () => {
    const show = await runInProcess(['--sandbox', 'findings', 'show', F.unauthorizedAccessCustom], { env });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Next:\n  gd-ir investigate ${F.unauthorizedAccessCustom} --sandbox\n  gd-ir trail --key ${C.accessKeyId} --sandbox`);
    const list = await runInProcess(['--sandbox', 'findings', 'list'], { env });
    expect(list.code).toBe(0);
    expect(list.stderr).toBe(`Next: gd-ir findings show ${F.s3Exfiltration} --sandbox\n`);
  });

  it('findings list with an explicit --region repeats it in the hint', async () => {
    const r = await runInProcess(['--sandbox', '--region', 'us-east-1', 'findings', 'list'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^Next: gd-ir findings show [0-9a-f]{32} --region us-east-1 --sandbox\n$/);
  });
});

describe('remediate --sandbox', () => {
  const state = mkdtempSync(join(tmpdir(), 'gd-ir-scoped-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));
  const env = baseEnv({ XDG_STATE_HOME: state, NO_COLOR: '1' });

  it('the plan\'s undo lines keep --sandbox', async () => {
    const r = await runInProcess(['--sandbox', 'remediate', '--key', C.accessKeyId, '--revoke-sessions', '--dry-run'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`How to undo\n  gd-ir remediate --key ${C.accessKeyId} --reactivate --sandbox\n  gd-ir remediate --key ${C.accessKeyId} --restore-sessions --sandbox\n`);
  });
});
