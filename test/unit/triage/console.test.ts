/**
 * Every menu of the console through the prompter seam: a scripted prompter answers, a fake backend
 * stands in for AWS (the investigation reports are the real pure builder's, from the workshop world),
 * and the test reads what the console printed and what it asked the backend to do.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/aws/clients.js';
import type { Context } from '../../../src/cli/context.js';
import { DeclinedError, InterruptedError, RuntimeError } from '../../../src/core/errors.js';
import { IO } from '../../../src/cli/io.js';
import { PromptCancelledError, type Choice } from '../../../src/cli/prompter.js';
import type { InvestigationReport } from '../../../src/core/investigation/index.js';
import type { RemediationRequest, RemediationResult } from '../../../src/core/remediation/index.js';
import type { ListChoice } from '../../../src/core/triage.js';
import { runTriage, type TriageBackend } from '../../../src/console/index.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { ScriptedPrompter } from '../../helpers/cli.js';
import { permissionsFor, workshopReport } from '../investigate/fixture.js';
import { F, NOW, workshopSummaries } from './fixtures.js';

const KEY = WORKSHOP.compromised.accessKeyId;
const USER = WORKSHOP.compromised.userName;
const DETECTOR = WORKSHOP.detectors['us-west-2'] as string;

/** Records the choices of every select, so tests can check what was offered and what was greyed out. */
class RecordingPrompter extends ScriptedPrompter {
  readonly selects: Array<{ message: string; choices: ReadonlyArray<Choice<unknown>>; default?: unknown }> = [];
  readonly searches: Array<{ message: string; rows: ReadonlyArray<Choice<unknown>> }> = [];
  override async select<T>(o: { message: string; choices: ReadonlyArray<Choice<T>>; default?: T }): Promise<T> {
    this.selects.push({ message: o.message, choices: o.choices, default: o.default });
    return super.select<T>(o);
  }
  override async search<T>(o: { message: string; source: (term: string | undefined) => ReadonlyArray<Choice<T>> }): Promise<T> {
    this.searches.push({ message: o.message, rows: o.source(undefined) });
    return super.search<T>(o);
  }
  lastSelect() {
    const s = this.selects.at(-1);
    if (!s) throw new Error('no select yet');
    return s;
  }
}

class Capture {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns = 160,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  on(): this {
    return this;
  }
}

interface Harness {
  ctx: Context;
  stdout: Capture;
  stderr: Capture;
  prompter: RecordingPrompter;
  calls: string[];
  backend: TriageBackend;
}

function harness(answers: unknown[], overrides: Partial<TriageBackend> = {}): Harness {
  const stdout = new Capture(true);
  // stderr is not a TTY here so spinners stay silent; the console is driven through the prompter.
  const stderr = new Capture(false);
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const io = new IO({ stdin, stdout, stderr }, { env: {}, colorFlag: false, json: false });
  const prompter = new RecordingPrompter(answers);
  const calls: string[] = [];
  const ctx: Context = {
    io,
    prompter,
    aws: { region: async () => 'us-west-2' } as unknown as AwsClients,
    clock: { now: () => NOW, sleep: async () => {} },
    env: {},
    globals: { json: false, color: false, input: true, debug: false },
    signal: new AbortController().signal,
    version: 'test',
    interactive: true,
    stateDir: '/nonexistent',
  };
  const backend: TriageBackend = {
    identity: async () => {
      calls.push('identity');
      return { account: WORKSHOP.accountId, arn: `arn:aws:iam::${WORKSHOP.accountId}:user/${WORKSHOP.analyst.userName}` };
    },
    detectorId: async (region) => {
      calls.push(`detector ${region}`);
      return WORKSHOP.detectors[region];
    },
    listFindings: async (region, _d, includeArchived) => {
      calls.push(`list ${region}${includeArchived ? ' +archived' : ''}`);
      return workshopSummaries(region).filter((f) => includeArchived || !f.archived);
    },
    investigate: async (f) => {
      calls.push(`investigate ${f.id}`);
      return workshopReport(f.id);
    },
    permissions: async (p) => {
      calls.push(`permissions ${p.type} ${p.name}`);
      return permissionsFor(p.type, p.name);
    },
    remediate: async (request) => {
      calls.push(`remediate ${request.accessKeyId} ${request.revokeSessions ? 'revoke' : 'deactivate'}`);
      return remediated(request);
    },
    archive: async (region, detectorId, id) => {
      calls.push(`archive ${region} ${detectorId} ${id}`);
    },
    contain: async (findingId) => {
      calls.push(`contain ${findingId}`);
      throw new RuntimeError('contain is not faked in this test');
    },
    fileExists: () => false,
    writeFile: (path) => {
      calls.push(`write ${path}`);
    },
    ...overrides,
  };
  return { ctx, stdout, stderr, prompter, calls, backend };
}

/** What runRemediation returns after a verified change. */
function remediated(request: RemediationRequest): RemediationResult {
  const action = request.revokeSessions ? 'revoke-sessions' : 'deactivate';
  const step = {
    action,
    target: action === 'deactivate' ? request.accessKeyId : 'gd-ir-revoke-older-sessions',
    userName: request.userName ?? USER,
    before: action === 'deactivate' ? 'Active' : 'absent',
    after: action === 'deactivate' ? 'Inactive' : 'present',
    noop: false,
    effect: [],
    undo: { tool: 'gd-ir', argv: [], purpose: 'undo', changes: true },
    ...(action === 'revoke-sessions' ? { cutoff: NOW.toISOString() } : {}),
  } as const;
  return {
    plan: {} as RemediationResult['plan'],
    results: [{ step: { ...step, effect: [] }, operationId: 'op1', changed: true, verified: true, observed: step.after }],
    dryRun: false,
    auditLog: '/nonexistent/audit.jsonl',
    reconciled: [],
  };
}

const pick = (id: string): ListChoice => ({ kind: 'finding', id });
const quit: ListChoice = { kind: 'quit' };

describe('the findings list', () => {
  it('prints the header line and offers the findings, most severe first, then the controls', async () => {
    const h = harness([quit]);
    const out = await runTriage(h.ctx, {}, h.backend);
    expect(out.actions).toEqual([]);
    expect(h.stdout.text).toContain(
      `gd-ir · account ${WORKSHOP.accountId} · us-west-2 · user/ir-analyst · detector ${DETECTOR} · 11 findings: High 3 · Medium 5 · Low 3`,
    );
    const rows = h.prompter.searches[0]?.rows ?? [];
    expect(rows.map((r) => r.value)).toEqual([
      ...workshopSummaries().filter((f) => !f.archived).sort((a, b) => b.severity - a.severity || Date.parse(b.lastSeen ?? '') - Date.parse(a.lastSeen ?? '')).map((f) => pick(f.id)),
      { kind: 'refresh' },
      { kind: 'archived' },
      { kind: 'region' },
      { kind: 'quit' },
    ]);
    const custom = rows.find((r) => (r.value as ListChoice).kind === 'finding' && (r.value as { id: string }).id === F.unauthorizedAccessCustom);
    expect(custom?.name).toMatch(/^Medium {4}UnauthorizedAccess:IAMUser\/MaliciousIPCaller\.Custom +GuardDuty-Example-Compromised-Simulated +2m ago/);
    expect(custom?.short).toBe(`UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom (${USER})`);
    expect(custom?.description).toBe(`API GetParameters was invoked from an IP address on a custom threat list. (${F.unauthorizedAccessCustom}, us-west-2)`);
    expect(h.calls).toEqual(['identity', 'detector us-west-2', 'list us-west-2']);
  });

  it('Esc or Ctrl-C at the list quits with an interrupt (exit 130)', async () => {
    for (const err of [new PromptCancelledError(), Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' })]) {
      const h = harness([err]);
      const run = runTriage(h.ctx, {}, h.backend);
      await expect(run).rejects.toBeInstanceOf(InterruptedError);
      await expect(run).rejects.toMatchObject({ exitCode: 130 });
    }
  });

  it('includes archived findings on request, switches region, refreshes', async () => {
    const h = harness([{ kind: 'archived' }, { kind: 'region' }, 'us-east-1', { kind: 'refresh' }, quit]);
    await runTriage(h.ctx, {}, h.backend);
    expect(h.calls).toEqual([
      'identity',
      'detector us-west-2',
      'list us-west-2',
      'list us-west-2 +archived',
      'detector us-east-1',
      'list us-east-1 +archived',
      'list us-east-1 +archived',
    ]);
    expect(h.prompter.searches[1]?.rows.some((r) => r.value === F.archivedPortProbe || (r.value as { id?: string }).id === F.archivedPortProbe)).toBe(true);
    expect(h.stdout.text).toContain(`us-east-1 · user/ir-analyst · detector ${WORKSHOP.detectors['us-east-1']}`);
    expect(h.prompter.searches.map((s) => s.message)[2]).toBe('Switch to region (type to filter; Esc goes back)');
  });

  it('Esc in the region list goes back to the findings, same region', async () => {
    const h = harness([{ kind: 'region' }, new PromptCancelledError(), quit]);
    await runTriage(h.ctx, {}, h.backend);
    expect(h.calls.filter((c) => c.startsWith('detector'))).toEqual(['detector us-west-2']);
  });

  it('a failed list is shown with its hint and the console stays usable', async () => {
    const h = harness([quit], {
      listFindings: async () => {
        throw new RuntimeError('GuardDuty is having a bad day', { remedy: 'try again in a minute' });
      },
    });
    await runTriage(h.ctx, {}, h.backend);
    expect(h.stderr.text).toContain('error: GuardDuty is having a bad day\nhint: try again in a minute');
    const rows = h.prompter.searches[0]?.rows ?? [];
    expect(rows[0]).toMatchObject({ name: 'could not list findings: GuardDuty is having a bad day', disabled: ' ' });
    expect(rows.map((r) => (r.value as ListChoice).kind).slice(1)).toEqual(['refresh', 'archived', 'region', 'quit']);
  });

  it('a region without GuardDuty says so instead of an empty list', async () => {
    const h = harness([quit], { detectorId: async () => undefined });
    await runTriage(h.ctx, {}, h.backend);
    expect(h.stdout.text).toContain('no detector · 0 findings: none');
    expect(h.prompter.searches[0]?.rows[0]?.name).toBe('GuardDuty is not enabled in us-west-2: switch region');
  });
});

describe('a finding: report sections', () => {
  it('prints the summary at once, then each section picked, Enter walking them in order', async () => {
    const h = harness([pick(F.unauthorizedAccessCustom), 'activity', 'changes', 'permissions', 'blast', 'recommendation', 'back', quit]);
    await runTriage(h.ctx, {}, h.backend);
    const out = h.stdout.text;
    expect(out).toContain(`UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom · Medium (5)`);
    const order = ['── Summary ', '── Data source ', '── Activity ', '── Changes ', '── Permissions ', '── Blast radius ', '── Recommendation '].map((t) => out.indexOf(t));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The menu's default is the next unread section, then the actions.
    const defaults = h.prompter.selects.map((s) => s.default);
    expect(defaults).toEqual(['activity', 'changes', 'permissions', 'blast', 'recommendation', 'actions']);
    expect(h.calls).toContain(`investigate ${F.unauthorizedAccessCustom}`);
  });

  it('greys out sections the investigation did not gather (a sample finding)', async () => {
    const h = harness([pick(F.sample), 'back', quit]);
    await runTriage(h.ctx, {}, h.backend);
    const choices = h.prompter.selects[0]?.choices ?? [];
    expect(choices.find((c) => c.value === 'activity')?.disabled).toBe('(not gathered for this principal)');
    expect(choices.find((c) => c.value === 'permissions')?.disabled).toBe('(not gathered for this principal)');
    expect(choices.find((c) => c.value === 'changes')?.disabled).toBe('(not gathered for this principal)');
    expect(h.prompter.selects[0]?.default).toBe('blast');
  });

  it('Esc in the report menu goes back to the list', async () => {
    const h = harness([pick(F.unauthorizedAccessCustom), new PromptCancelledError(), quit]);
    await runTriage(h.ctx, {}, h.backend);
    expect(h.prompter.asked.map((a) => a.kind)).toEqual(['search', 'select', 'search']);
  });

  it('a failed investigation is reported and the list comes back', async () => {
    const h = harness([pick(F.unauthorizedAccessCustom), quit], {
      investigate: async () => {
        throw new RuntimeError('finding not found in detector', { remedy: 'check the region' });
      },
    });
    await runTriage(h.ctx, {}, h.backend);
    expect(h.stderr.text).toContain('error: finding not found in detector\nhint: check the region');
    expect(h.prompter.asked.map((a) => a.kind)).toEqual(['search', 'search']);
  });
});

describe('a finding: actions', () => {
  const toActions = (id: string) => [pick(id), 'actions'];

  it('offers everything for an IAM user key, recommends deactivate + revoke, deactivates through the remediate flow', async () => {
    const h = harness([...toActions(F.unauthorizedAccessCustom), 'deactivate', 'commands', 'quit']);
    const out = await runTriage(h.ctx, {}, h.backend);
    const first = h.prompter.selects[1];
    expect(first?.message).toBe('Action (Esc: back to the report)');
    expect(first?.choices.filter((c) => !c.disabled).map((c) => c.value)).toEqual([
      'sections', 'timeline', 'policies', 'deactivate', 'revoke-sessions', 'contain', 'export', 'archive', 'commands', 'back', 'quit',
    ]);
    expect(first?.choices.find((c) => c.value === 'deactivate')?.name).toBe(`★ Deactivate access key ${KEY}`);
    expect(first?.choices.find((c) => c.value === 'revoke-sessions')?.name).toMatch(/^★ Revoke active sessions of /);
    expect(first?.default).toBe('deactivate');
    expect(h.calls).toContain(`remediate ${KEY} deactivate`);
    // After the change the key is not offered again, and the next recommended step is pre-selected.
    const after = h.prompter.selects[2];
    expect(after?.choices.find((c) => c.value === 'deactivate')?.disabled).toBe(`(${KEY} is already Inactive)`);
    expect(after?.default).toBe('revoke-sessions');
    expect(out.actions).toEqual([{ kind: 'deactivate', findingId: F.unauthorizedAccessCustom, accessKeyId: KEY, userName: USER }]);
    expect(h.stdout.text).toContain(`✔ Deactivated access key ${KEY} of user ${USER}\n  # repeat from a script\n  gd-ir remediate --key ${KEY} --yes\n  # undo\n  gd-ir remediate --key ${KEY} --reactivate --yes`);
  });

  it('"Contain everything (plan)" runs the contain flow for the finding; the session can repeat and undo the plan', async () => {
    const planId = '0123456789ab';
    const step = { number: 1, action: 'deactivate', params: { action: 'deactivate', userName: USER, accessKeyId: KEY }, subject: `access key ${KEY} of user ${USER}`, after: 'Inactive' };
    const h = harness([...toActions(F.unauthorizedAccessCustom), 'contain', 'commands', 'quit'], {
      contain: async (findingId, where) => {
        h.calls.push(`contain ${findingId} ${where.region}`);
        return { plan: { planId, findingId, steps: [step] }, selected: [step], results: [{ step, changed: true, verified: true, observed: 'Inactive' }], remaining: [], dryRun: false, auditLog: '/x' } as unknown as Awaited<ReturnType<TriageBackend['contain']>>;
      },
    });
    const out = await runTriage(h.ctx, {}, h.backend);
    expect(h.prompter.selects[1]?.choices.find((c) => c.value === 'contain')?.name).toBe('  Contain everything (plan): every key, password, policy, trust and trail the attacker changed');
    expect(h.calls).toContain(`contain ${F.unauthorizedAccessCustom} us-west-2`);
    expect(out.actions).toEqual([{ kind: 'contain', findingId: F.unauthorizedAccessCustom, planId, steps: 1, region: 'us-west-2' }]);
    expect(h.stdout.text).toContain(`✔ Plan ${planId}: 1 step verified. Watch that it holds: gd-ir watch --finding ${F.unauthorizedAccessCustom}`);
    expect(h.stdout.text).toContain(`  gd-ir contain ${F.unauthorizedAccessCustom} --all --yes\n  # undo\n  gd-ir contain --undo ${planId} --yes`);
  });

  it('passes the finding\'s key, user and ID to the remediation, without --force or --yes', async () => {
    let seen: RemediationRequest | undefined;
    const h = harness([...toActions(F.unauthorizedAccessCustom), 'revoke-sessions', 'quit'], {
      remediate: async (r) => {
        seen = r;
        return remediated(r);
      },
    });
    const out = await runTriage(h.ctx, {}, h.backend);
    // `account`: the key is contained in the finding's account (a member's would be reached through its roles).
    expect(seen).toEqual({
      accessKeyId: KEY, userName: USER, findingId: F.unauthorizedAccessCustom, reactivate: false, revokeSessions: true, restoreSessions: false, force: false, dryRun: false,
      account: WORKSHOP.accountId,
    });
    expect(out.actions[0]).toMatchObject({ kind: 'revoke-sessions', cutoff: NOW.toISOString() });
  });

  it('a mistyped confirmation (declined) or Esc in it changes nothing and returns to the menu', async () => {
    const answers = [...toActions(F.unauthorizedAccessCustom), 'deactivate', 'deactivate', 'quit'];
    let n = 0;
    const h = harness(answers, {
      remediate: async () => {
        n++;
        if (n === 1) throw new DeclinedError(`Confirmation did not match ${KEY}: nothing was changed.`);
        throw new PromptCancelledError();
      },
    });
    const out = await runTriage(h.ctx, {}, h.backend);
    expect(out.actions).toEqual([]);
    expect(h.stderr.text).toContain(`Confirmation did not match ${KEY}: nothing was changed.`);
    expect(h.stderr.text).toContain('Cancelled: nothing was changed.');
    // Still offered: nothing happened to the key.
    expect(h.prompter.lastSelect().choices.find((c) => c.value === 'deactivate')?.disabled).toBe(false);
  });

  it('a refusal (the analyst\'s own key) is shown with its remedy; the console goes on', async () => {
    const h = harness([...toActions(F.unauthorizedAccessCustom), 'deactivate', 'back', quit], {
      remediate: async () => {
        throw new RuntimeError('AKIA… is the access key you are signed in with', { remedy: 'run gd-ir with other credentials' });
      },
    });
    await runTriage(h.ctx, {}, h.backend);
    expect(h.stderr.text).toContain('error: AKIA… is the access key you are signed in with\nhint: run gd-ir with other credentials');
  });

  it('roles get no deactivate nor revoke, and say why', async () => {
    const h = harness([...toActions(F.credentialExfiltration), 'quit']);
    await runTriage(h.ctx, {}, h.backend);
    const choices = h.prompter.lastSelect().choices;
    expect(choices.find((c) => c.value === 'deactivate')).toMatchObject({
      name: '  Deactivate the access key',
      disabled: "(a role session: its keys cannot be deactivated; revoke the role's sessions in IAM)",
    });
    expect(choices.find((c) => c.value === 'revoke-sessions')?.disabled).toMatch(/Revoke active sessions \(gd-ir acts on users\)/);
    expect(h.prompter.lastSelect().default).toBe('back');
  });

  it('Esc in the action menu goes back to the report menu', async () => {
    const h = harness([...toActions(F.unauthorizedAccessCustom), new PromptCancelledError(), 'back', quit]);
    await runTriage(h.ctx, {}, h.backend);
    expect(h.prompter.asked.map((a) => a.message)).toEqual([
      expect.stringMatching(/^Pick a finding/),
      expect.stringMatching(/^Report/),
      'Action (Esc: back to the report)',
      expect.stringMatching(/^Report/),
      expect.stringMatching(/^Pick a finding/),
    ]);
  });

  it('pages the CloudTrail timeline 30 events at a time', async () => {
    const report = await workshopReport(F.unauthorizedAccessCustom);
    const total = report.trail?.events.length ?? 0;
    expect(total).toBeGreaterThan(60);
    const h = harness([...toActions(F.unauthorizedAccessCustom), 'timeline', 'next', 'prev', new PromptCancelledError(), 'quit']);
    await runTriage(h.ctx, {}, h.backend);
    const pages = Math.ceil(total / 30);
    expect(h.stdout.text).toContain(`CloudTrail events 1–30 of ${total} (page 1/${pages})`);
    expect(h.stdout.text).toContain(`CloudTrail events 31–60 of ${total} (page 2/${pages})`);
    const pager = h.prompter.selects.find((s) => s.message.startsWith('Timeline page 1/'));
    expect(pager?.choices.find((c) => c.value === 'prev')?.disabled).toBe('first page');
    expect(pager?.default).toBe('next');
    // Back at the action menu after Esc in the pager.
    expect(h.prompter.asked.at(-1)?.message).toBe('Action (Esc: back to the report)');
  });

  it('shows the policy documents the investigation read, without another call', async () => {
    const h = harness([...toActions(F.unauthorizedAccessCustom), 'policies', 'quit']);
    await runTriage(h.ctx, {}, h.backend);
    expect(h.stdout.text).toContain(WORKSHOP.compromised.inlinePolicyName);
    expect(h.stdout.text).toContain('"ssm:GetParameters"');
    expect(h.calls.filter((c) => c.startsWith('permissions'))).toEqual([]);
  });

  it('reads the policies again when the investigation could not', async () => {
    const h = harness([...toActions(F.unauthorizedAccessCustom), 'policies', 'quit'], {
      investigate: async (f): Promise<InvestigationReport> => workshopReport(f.id, { permissions: false, warnings: [{ section: 'permissions', message: 'AccessDenied' }] }),
    });
    await runTriage(h.ctx, {}, h.backend);
    expect(h.calls).toContain(`permissions user ${USER}`);
    expect(h.stdout.text).toContain('"ssm:GetParameters"');
  });

  it('exports the Markdown report: default path, asks before overwriting', async () => {
    const written: string[] = [];
    const h = harness([...toActions(F.unauthorizedAccessCustom), 'export', './r.md', false, 'export', './r.md', true, 'quit'], {
      fileExists: () => true,
      writeFile: (path, text) => {
        written.push(path);
        expect(text).toContain('# ');
        expect(text).toContain(KEY);
      },
    });
    const out = await runTriage(h.ctx, {}, h.backend);
    expect(written).toEqual(['./r.md']);
    expect(h.stderr.text).toContain('Not written.');
    expect(h.prompter.asked.filter((a) => a.kind === 'confirm').map((a) => a.message)).toEqual(['./r.md exists. Overwrite it?', './r.md exists. Overwrite it?']);
    expect(out.actions).toEqual([{ kind: 'export', findingId: F.unauthorizedAccessCustom, path: './r.md' }]);
  });

  it('archives only after confirmation, then re-reads the list', async () => {
    const h = harness([...toActions(F.sample), 'archive', false, 'archive', true, 'back', quit]);
    const out = await runTriage(h.ctx, {}, h.backend);
    expect(h.calls.filter((c) => c.startsWith('archive'))).toEqual([`archive us-west-2 ${DETECTOR} ${F.sample}`]);
    expect(h.stderr.text).toContain('Not archived.');
    expect(h.stdout.text).toContain(`✔ Archived ${F.sample}`);
    expect(out.actions).toEqual([{ kind: 'archive', findingId: F.sample, detectorId: DETECTOR, region: 'us-west-2' }]);
    expect(h.calls.filter((c) => c.startsWith('list'))).toHaveLength(2);
    // The archive choice is greyed out once done.
    const lastActions = h.prompter.selects.filter((s) => s.message.startsWith('Action')).at(-1);
    expect(lastActions?.choices.find((c) => c.value === 'archive')?.disabled).toBe('(already archived)');
  });

  it('Ctrl-C in a confirmation is a cancellation, not an exit', async () => {
    const h = harness([...toActions(F.sample), 'archive', new InterruptedError(), 'quit']);
    await runTriage(h.ctx, {}, h.backend);
    expect(h.calls.filter((c) => c.startsWith('archive'))).toEqual([]);
    expect(h.stderr.text).toContain('Cancelled: nothing was changed.');
  });

  it('with nothing done, the session commands say so', async () => {
    const h = harness([...toActions(F.unauthorizedAccessCustom), 'commands', 'quit']);
    await runTriage(h.ctx, {}, h.backend);
    expect(h.stdout.text).toContain('Nothing was changed or exported in this session yet.');
  });
});
