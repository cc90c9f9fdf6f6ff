/**
 * One finding the AWS SDK cannot read must not cost the others. The sandbox serves the workshop with one finding
 * whose timestamp-typed member (resource.eksClusterDetails.createdAt, epoch seconds in the model) holds text the
 * SDK refuses, so GetFindings for any batch holding it fails in the SDK's deserialiser, as a real response with
 * such a value would: the real SDK, over real HTTP. A second finding the SDK reads but gd-ir cannot (a severity
 * that is not a number) is set aside the same way.
 */
import { describe, expect, it } from 'vitest';
import { buildScenario } from '../../../src/sandbox/scenarios/index.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import type { World } from '../../../src/sandbox/model.js';
import { runInProcess, ScriptedPrompter } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';

const F = WORKSHOP.findings;
const BAD_SDK = F.hostileKali;
const BAD_GDIR = F.rootUsage;

function worldWithUnreadableFindings(): World {
  const w = buildScenario('workshop', { now: new Date() });
  const west = w.regions['us-west-2'];
  const sdk = west?.findings.find((f) => f.id === BAD_SDK);
  const gdir = west?.findings.find((f) => f.id === BAD_GDIR);
  if (!sdk || !gdir) throw new Error('workshop findings moved');
  sdk.resource.eksClusterDetails = { name: 'prod', createdAt: 'last Tuesday' };
  (gdir as { severity: unknown }).severity = 'HIGH';
  return w;
}

describe('an unreadable finding in a GetFindings batch', () => {
  const sb = useSandbox({ world: worldWithUnreadableFindings() });

  it('findings list: the other findings are listed, each unreadable one named in a warning, exit 0', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['findings', 'list', '--json'], { env: sb.env() });
    expect(r.code).toBe(0);
    const ids = (JSON.parse(r.stdout) as Array<{ id: string }>).map((f) => f.id);
    // The workshop has 11 open findings in us-west-2.
    expect(ids).toHaveLength(9);
    expect(ids).not.toContain(BAD_SDK);
    expect(ids).not.toContain(BAD_GDIR);
    expect(ids).toEqual(expect.arrayContaining([F.unauthorizedAccessCustom, F.reconCustom, F.credentialExfiltration]));
    const warnings = r.stderr.trim().split('\n').map((l) => (JSON.parse(l) as { warning: string }).warning);
    expect(warnings).toHaveLength(2);
    expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`^finding ${BAD_SDK} in us-west-2 could not be read and is left out: the AWS SDK could not read GuardDuty's answer: `)));
    expect(warnings).toContainEqual(`finding ${BAD_GDIR} in us-west-2 could not be read and is left out: GuardDuty returned a finding that is not a GuardDuty finding: it has no numeric "severity"`);
    // The batch was split until the bad ID was alone: more GetFindings calls than the one a page needs.
    const gets = sb.get().requests.slice(before).filter((q) => q.operation === 'GetFindings');
    expect(gets.length).toBeGreaterThan(2);
    expect(gets.at(-1)?.input).toBeDefined();
  });

  it('the human list says the same on stderr and lists the rest', async () => {
    const r = await runInProcess(['findings', 'list'], { env: sb.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(F.unauthorizedAccessCustom);
    expect(r.stdout).not.toContain(BAD_SDK);
    expect(r.stderr).toContain(`warning: finding ${BAD_SDK} in us-west-2 could not be read and is left out`);
  });

  it('findings show of the unreadable finding: exit 1, naming it, with a way to read it anyway', async () => {
    const r = await runInProcess(['findings', 'show', BAD_SDK], { env: sb.env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`finding ${BAD_SDK} in detector ${WORKSHOP.detectors['us-west-2']} (region us-west-2) could not be read`);
    expect(r.stderr).toContain('--from-file');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("investigate: related findings leave it out with a warning, the report stands", async () => {
    const r = await runInProcess(['investigate', F.unauthorizedAccessCustom, '--json'], { env: sb.env() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { relatedFindings: Array<{ id: string }>; warnings: Array<{ section: string; message: string }> };
    expect(j.relatedFindings.map((f) => f.id)).toContain(F.reconCustom);
    expect(j.relatedFindings.map((f) => f.id)).not.toContain(BAD_SDK);
    expect(j.warnings).toContainEqual({ section: 'relatedFindings', message: expect.stringMatching(new RegExp(`^finding ${BAD_SDK} in us-west-2 could not be read and is left out`)) as unknown as string });
  });

  it('the console lists the rest and warns', async () => {
    const prompter = new ScriptedPrompter([{ kind: 'quit' }]);
    const r = await runInProcess(['triage'], { stdinTTY: true, stderrTTY: true, stdoutTTY: true, columns: 160, env: sb.env({ NO_COLOR: '1' }), prompter });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('9 findings');
    expect(r.stderr).toContain(`finding ${BAD_SDK} in us-west-2 could not be read and is left out`);
  });
});
