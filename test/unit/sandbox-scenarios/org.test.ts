import { describe, expect, it } from 'vitest';
import { accountOfKey, accounts } from '../../../src/sandbox/accounts.js';
import type { AccountData } from '../../../src/sandbox/model.js';
import { buildScenario } from '../../../src/sandbox/scenarios/index.js';
import { ORG } from '../../../src/sandbox/scenarios/org-facts.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { NOW } from './helpers.js';

const w = buildScenario('org', { now: NOW });
const member = (id: string): AccountData => {
  const m = w.members?.[id];
  if (!m) throw new Error(`no member ${id}`);
  return m;
};

describe('org: a GuardDuty administrator and two members', () => {
  it("the administrator's detector holds findings of three accounts; each member's its own", () => {
    const west = w.regions['us-west-2']?.findings ?? [];
    expect(new Set(west.map((f) => f.accountId))).toEqual(new Set([ORG.administratorId, ORG.prod.accountId, ORG.data.accountId]));
    const prodFinding = west.find((f) => f.id === ORG.prod.findingId);
    expect(prodFinding?.arn).toBe(`arn:aws:guardduty:us-west-2:${ORG.prod.accountId}:detector/${WORKSHOP.detectors['us-west-2']}/finding/${ORG.prod.findingId}`);
    expect(member(ORG.prod.accountId).regions['us-west-2']?.findings.map((f) => f.id)).toEqual([ORG.prod.findingId]);
    expect(member(ORG.data.accountId).regions['us-west-2']?.findings.map((f) => f.id)).toEqual([ORG.data.findingId]);
  });

  it('keys are unique across accounts and live where their users do', () => {
    const all = accounts(w).flatMap((a) => Object.keys(a.iam.accessKeys));
    expect(new Set(all).size).toBe(all.length);
    expect(accountOfKey(w, ORG.prod.user.accessKeyId)?.accountId).toBe(ORG.prod.accountId);
    expect(accountOfKey(w, ORG.data.user.accessKeyId)?.accountId).toBe(ORG.data.accountId);
    expect(accountOfKey(w, ORG.adminNamesake.accessKeyId)?.accountId).toBe(ORG.administratorId);
  });

  it("each member's trail holds its own user's calls, recorded for it", () => {
    for (const [m, key] of [[ORG.prod.accountId, ORG.prod.user.accessKeyId], [ORG.data.accountId, ORG.data.user.accessKeyId]] as const) {
      const events = Object.values(member(m).regions).flatMap((r) => r.events);
      expect(events.length).toBeGreaterThan(10);
      expect(events.every((e) => e.recipientAccountId === m && e.userIdentity.accountId === m && e.userIdentity.accessKeyId === key)).toBe(true);
    }
    const adminEvents = Object.values(w.regions).flatMap((r) => r.events);
    expect(adminEvents.some((e) => e.userIdentity.accessKeyId === ORG.prod.user.accessKeyId)).toBe(false);
  });

  it('the IR roles: write roles require MFA, data\'s read role an ExternalId; all allow SetSourceIdentity from the administrator only', () => {
    for (const m of [ORG.prod.accountId, ORG.data.accountId]) {
      const roles = member(m).iam.roles;
      for (const name of [ORG.readRoleName, ORG.writeRoleName]) {
        const trust = JSON.parse(roles[name]?.assumeRolePolicyDocument ?? '{}') as {
          Statement: Array<{ Principal?: unknown; Action?: unknown; Condition?: { Bool?: Record<string, string>; StringEquals?: Record<string, string> } }>;
        };
        expect(trust.Statement).toHaveLength(1);
        expect(trust.Statement[0]?.Principal).toEqual({ AWS: `arn:aws:iam::${ORG.administratorId}:root` });
        expect(trust.Statement[0]?.Action).toEqual(['sts:AssumeRole', 'sts:SetSourceIdentity']);
        const cond = trust.Statement[0]?.Condition ?? {};
        expect(cond.Bool?.['aws:MultiFactorAuthPresent'] === 'true').toBe(name === ORG.writeRoleName);
        expect(cond.StringEquals?.['sts:ExternalId']).toBe(m === ORG.data.accountId && name === ORG.readRoleName ? ORG.data.externalId : undefined);
      }
    }
  });

  it('the analyst may assume the IR roles and has an MFA device', () => {
    const analyst = w.iam.users[WORKSHOP.analyst.userName];
    expect(Object.keys(analyst?.inlinePolicies ?? {})).toContain('gd-ir-assume-member-roles');
    expect(w.iam.mfaDevices?.[ORG.analystMfa.serialNumber]?.userName).toBe(WORKSHOP.analyst.userName);
  });
});
