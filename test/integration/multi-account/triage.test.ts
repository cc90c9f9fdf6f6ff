/**
 * The triage console on the org sandbox: a member account's finding is investigated through the read role, the console
 * says which account it acts in and with which roles, and the key is contained through the MFA write role (the code
 * typed at the prompt), with the session's commands carrying --account; "Contain everything (plan)" contains the
 * incident in the member account the same way.
 */
import { describe, expect, it } from 'vitest';
import { totp } from '../../../src/sandbox/mfa.js';
import { ORG } from '../../../src/sandbox/scenarios/org-facts.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { runInProcess, ScriptedPrompter } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';

const tty = { stdinTTY: true, stderrTTY: true, stdoutTTY: true, columns: 200 } as const;
const PROD = ORG.prod.accountId;
const KEY = ORG.prod.user.accessKeyId;

describe('gd-ir triage: a member account finding (org sandbox)', () => {
  const sb = useSandbox({ scenario: 'org' });

  it('acts in the member account through its roles and says so', async () => {
    const code = totp(ORG.analystMfa.totpSeed, new Date());
    const prompter = new ScriptedPrompter([{ kind: 'finding', id: ORG.prod.findingId }, 'actions', 'deactivate', code, KEY, 'commands', 'quit']);
    const r = await runInProcess(['triage', '--read-role', ORG.readRoleName, '--write-role', ORG.writeRoleName, '--mfa-serial', ORG.analystMfa.serialNumber], {
      ...tty,
      env: sb.env({ NO_COLOR: '1' }),
      prompter,
    });
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    // The list is the administrator's; the open finding says where the console acts.
    expect(r.stdout).toMatch(/gd-ir · account 111122223333 · us-west-2/);
    expect(r.stdout).toContain(
      `Acting in account ${PROD} (member) · reads: role arn:aws:iam::${PROD}:role/${ORG.readRoleName} as session ${WORKSHOP.analyst.userName} · changes: role arn:aws:iam::${PROD}:role/${ORG.writeRoleName} as session ${WORKSHOP.analyst.userName}`,
    );
    expect(prompter.asked.filter((a) => a.kind === 'input').map((a) => a.message)).toEqual([
      `MFA code of ${ORG.analystMfa.serialNumber} (to assume arn:aws:iam::${PROD}:role/${ORG.writeRoleName})`,
      expect.stringContaining(`in account ${PROD} as role arn:aws:iam::${PROD}:role/${ORG.writeRoleName}`),
    ]);
    expect(r.stdout).toContain(`✔ ${KEY} is now Inactive (verified)`);
    expect(r.stdout).toContain(`gd-ir remediate --key ${KEY} --account ${PROD} --reactivate --yes --read-role ${ORG.readRoleName} --write-role ${ORG.writeRoleName}`);
    expect(sb.get().world.members?.[PROD]?.iam.accessKeys[KEY]?.status).toBe('Inactive');
  });

  it('"Contain everything (plan)" plans in the member account through the read role and acts through the write role', async () => {
    await sb.get().reset();
    const code = totp(ORG.analystMfa.totpSeed, new Date());
    const prompter = new ScriptedPrompter([{ kind: 'finding', id: ORG.prod.findingId }, 'actions', 'contain', [1, 2], code, '2', 'commands', 'quit']);
    const r = await runInProcess(['triage', '--read-role', ORG.readRoleName, '--write-role', ORG.writeRoleName, '--mfa-serial', ORG.analystMfa.serialNumber], {
      ...tty,
      env: sb.env({ NO_COLOR: '1' }),
      prompter,
    });
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    expect(prompter.asked.filter((a) => a.kind === 'input').map((a) => a.message)).toEqual([
      `MFA code of ${ORG.analystMfa.serialNumber} (to assume arn:aws:iam::${PROD}:role/${ORG.writeRoleName})`,
      `To run 2 steps (1, 2) in account ${PROD} as role arn:aws:iam::${PROD}:role/${ORG.writeRoleName} as session ${WORKSHOP.analyst.userName}, type 2:`,
    ]);
    expect(r.stderr).toMatch(new RegExp(`Changes with\\s+role arn:aws:iam::${PROD}:role/${ORG.writeRoleName} as session ${WORKSHOP.analyst.userName}`));
    const member = sb.get().world.members?.[PROD];
    expect(member?.iam.accessKeys[KEY]?.status).toBe('Inactive');
    expect(Object.keys(member?.iam.users[ORG.prod.user.userName]?.inlinePolicies ?? {})).toContain('gd-ir-revoke-older-sessions');
    expect(sb.get().world.iam.accessKeys[ORG.adminNamesake.accessKeyId]?.status).toBe('Active');
    // What the session did, as commands acting in the member account (the watch too).
    const planId = /Plan ([0-9a-f]{12}): 2 steps verified/.exec(r.stdout)?.[1];
    expect(planId).toBeDefined();
    expect(r.stdout).toContain(`Watch that it holds: gd-ir watch --finding ${ORG.prod.findingId} --read-role ${ORG.readRoleName}`);
    expect(r.stdout).toContain(`gd-ir contain ${ORG.prod.findingId} --account ${PROD} --all --yes --read-role ${ORG.readRoleName} --write-role ${ORG.writeRoleName}`);
    expect(r.stdout).toContain(`gd-ir contain --undo ${planId ?? ''} --account ${PROD} --yes --read-role ${ORG.readRoleName} --write-role ${ORG.writeRoleName}`);
  });
});
