/**
 * The containment plan: from the investigation's changes (judged against what IAM and CloudTrail say now) to
 * numbered steps, in the order of the AWS playbook for compromised credentials: stop the key, end its sessions,
 * stop every key the attacker made, take away what it granted, restore what it stopped; then, optionally,
 * AWS's quarantine policy. Deleting users, roles, functions or instances is never a step: those are manual steps,
 * with why. Pure: the flow (src/flows/containment/) reads the facts, executes and verifies.
 */
import type { Change, Probe, ProbeResult, ProbeValues } from '../changes/index.js';
import { foreignPrincipals, withoutPrincipals } from '../changes/index.js';
import { REVOKE_POLICY_NAME, RemediationRefusedError, remediateSuggestion, userNameFromArn } from '../remediation/index.js';
import { awsCli, gdIr, type Suggestion } from '../suggestion.js';
import type { ContainCaller, ContainPlan, ContainStep, ManualStep, StepParams } from './model.js';
import { api, callLine } from './calls.js';
import { manualStepsFor } from './manual.js';

/** The inline policy the IAM console's "Revoke active sessions" puts on a role (IAM User Guide). */
export const ROLE_REVOKE_POLICY_NAME = 'AWSRevokeOlderSessions';

/** AWS's quarantine policies, newest first: the plan attaches the first one the account has. */
export const QUARANTINE_POLICY_ARNS = ['arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV4', 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3'] as const;

export interface ContainFacts {
  planId: string;
  findingId: string;
  /** The finding's region (regional suggestions, the audit log). */
  region: string;
  accountId: string;
  caller: ContainCaller;
  principal: { kind: 'iam-user' | 'assumed-role'; accessKeyId?: string; userName?: string; roleName?: string };
  /** The principal key's status now (IAM users' long-term keys). */
  principalKeyStatus?: string;
  /** The changes, judged (src/core/changes/). */
  changes: readonly Change[];
  /** The read-backs behind the judgement (current trust documents, policy versions). */
  reads: (p: Probe) => ProbeResult | undefined;
  /** Users whose sessions were seen (the principal's, and those of users whose attacker-made keys minted sessions). */
  sessionUsers: readonly string[];
  /** --quarantine: the quarantine policy to attach (the newest the account has), or undefined. */
  quarantineArn?: string;
  /** --force: allow acting on the caller's own key or session. */
  force: boolean;
  now: Date;
}

const value = <K extends keyof ProbeValues>(f: ContainFacts, p: Probe & { op: K }): ProbeValues[K] | undefined => {
  const r = f.reads(p);
  return r?.ok ? (r.value as ProbeValues[K]) : undefined;
};

const policyName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1) || arn;
const stillThere = (c: Change): boolean => c.state.status === 'present';
const undoPlan = (planId: string): Suggestion => gdIr(['contain', '--undo', planId], 'undo', true);

type Draft = Omit<ContainStep, 'number'>;

function step(params: StepParams, d: Omit<Draft, 'action' | 'params' | 'api' | 'call'>): Draft {
  return { action: params.action, params, api: api(params), call: callLine(params), ...d };
}

function keyStep(userName: string, accessKeyId: string, why: string, breaks: string, changes: string[]): Draft {
  return step(
    { action: 'deactivate', userName, accessKeyId },
    {
      subject: `access key ${accessKeyId} of user ${userName}`,
      why,
      breaks,
      before: 'Active',
      after: 'Inactive',
      undo: remediateSuggestion('reactivate', accessKeyId, userName, 'undo'),
      reversible: true,
      changes,
      accessKeyId,
    },
  );
}

function revokeStep(userName: string, why: string, incidentKey: string, undo: Suggestion): Draft {
  return step(
    { action: 'revoke-sessions', userName, policyName: REVOKE_POLICY_NAME },
    {
      subject: `temporary credentials of user ${userName} issued before now`,
      why,
      breaks: `every session of ${userName} issued before the step (GetSessionToken, GetFederationToken, console); sessions issued later and long-term keys are not affected`,
      before: 'absent',
      after: 'present',
      undo,
      reversible: true,
      changes: [],
      accessKeyId: incidentKey,
    },
  );
}

/** The previous default of a policy whose default the attacker changed: the newest version it did not create. */
function previousDefault(f: ContainFacts, policyArn: string, attacker: ReadonlySet<string>): string | undefined {
  const versions = value(f, { op: 'listPolicyVersions', policyArn }) ?? [];
  const own = versions.filter((v) => !attacker.has(v.versionId));
  const byDate = [...own].sort((a, b) => (a.createDate ?? '').localeCompare(b.createDate ?? '') || Number(a.versionId.slice(1)) - Number(b.versionId.slice(1)));
  return byDate[byDate.length - 1]?.versionId;
}

/** Steps that undo the changes still in place, in playbook order. */
function changeSteps(f: ContainFacts, incidentKey: string): { steps: Draft[]; notes: string[] } {
  const steps: Draft[] = [];
  const notes: string[] = [];
  const present = f.changes.filter(stillThere);
  const of = (kind: Change['target']['kind']): Change[] => present.filter((c) => c.target.kind === kind);

  // Every access key the attacker created (or reactivated), still Active.
  const keys = new Map<string, { user: string; changes: string[] }>();
  // Oldest first: the order the attacker made them in.
  for (const c of [...of('accessKey')].reverse()) {
    const t = c.target as Extract<Change['target'], { kind: 'accessKey' }>;
    if (t.accessKeyId === f.principal.accessKeyId || !t.accessKeyId.startsWith('AKIA')) continue;
    const k = keys.get(t.accessKeyId) ?? { user: t.userName, changes: [] };
    k.changes.push(c.eventId);
    keys.set(t.accessKeyId, k);
  }
  for (const [id, k] of keys) {
    steps.push(keyStep(k.user, id, `the attacker created it (${k.changes.length > 1 ? `${k.changes.length} events` : 'CreateAccessKey'}) and it is Active`, `every request signed with ${id}; if a legitimate workload of ${k.user} adopted it, that workload stops`, k.changes));
  }
  // Sessions minted by users whose attacker-made keys minted them.
  for (const user of f.sessionUsers) {
    if (user === f.principal.userName) continue;
    const undo = awsCli(['iam', 'delete-user-policy', '--user-name', user, '--policy-name', REVOKE_POLICY_NAME], 'undo', true);
    steps.push(revokeStep(user, `a key the attacker made for ${user} minted sessions; deactivating the key does not end them`, incidentKey, undo));
  }
  // Console passwords it set.
  const profiles = new Map<string, Change[]>();
  for (const c of [...of('loginProfile')].reverse()) {
    const t = c.target as Extract<Change['target'], { kind: 'loginProfile' }>;
    profiles.set(t.userName, [...(profiles.get(t.userName) ?? []), c]);
  }
  for (const [user, list] of profiles) {
    const changes = list.map((c) => c.eventId);
    steps.push(step({ action: 'delete-login-profile', userName: user }, {
      subject: `the console password of user ${user}`,
      why: `the attacker set it (${[...new Set(list.map((c) => c.eventName))].join(', ')}): whoever knows it can sign in to the console`,
      breaks: `console sign-in of ${user}; its owner must set a new password (the old one cannot be restored)`,
      before: 'present',
      after: 'absent',
      reversible: false,
      changes,
      accessKeyId: incidentKey,
    }));
  }
  // Managed policies it attached, inline policies it put.
  for (const c of of('managedAttachment')) {
    const t = c.target as Extract<Change['target'], { kind: 'managedAttachment' }>;
    if (t.detached) continue;
    steps.push(step({ action: 'detach-policy', holder: t.holder, name: t.name, policyArn: t.policyArn }, {
      subject: `${policyName(t.policyArn)} on ${t.holder} ${t.name}`,
      why: `the attacker attached it (${c.eventName})`,
      breaks: `what ${policyName(t.policyArn)} grants ${t.holder} ${t.name}`,
      before: 'attached',
      after: 'detached',
      undo: awsCli(['iam', `attach-${t.holder}-policy`, `--${t.holder}-name`, t.name, '--policy-arn', t.policyArn], 'undo', true),
      reversible: true,
      changes: [c.eventId],
      accessKeyId: incidentKey,
    }));
  }
  for (const c of of('inlinePolicy')) {
    const t = c.target as Extract<Change['target'], { kind: 'inlinePolicy' }>;
    if (t.deleted) continue;
    const current = value(f, { op: 'getInlinePolicy', holder: t.holder, name: t.name, policyName: t.policyName });
    steps.push(step({ action: 'delete-inline-policy', holder: t.holder, name: t.name, policyName: t.policyName, ...(current ? { document: current } : {}) }, {
      subject: `inline policy ${t.policyName} of ${t.holder} ${t.name}`,
      why: `the attacker put it (${c.eventName})`,
      breaks: `what ${t.policyName} grants ${t.holder} ${t.name}`,
      before: 'present',
      after: 'absent',
      undo: undoPlan(f.planId),
      reversible: current !== undefined,
      changes: [c.eventId],
      accessKeyId: incidentKey,
    }));
  }
  // Trust it opened to outside accounts.
  for (const c of of('roleTrust')) {
    const t = c.target as Extract<Change['target'], { kind: 'roleTrust' }>;
    const current = value(f, { op: 'getRoleTrust', roleName: t.roleName });
    const added = foreignPrincipals(t.document, f.accountId);
    const next = current && added.length > 0 ? withoutPrincipals(current, added) : undefined;
    if (!current || !next) {
      notes.push(`role ${t.roleName}: the trust policy the attacker wrote admits no principal outside the account, or removing them would leave none: review it by hand`);
      continue;
    }
    if (steps.some((s) => s.params.action === 'set-trust-policy' && s.params.roleName === t.roleName)) continue;
    steps.push(step({ action: 'set-trust-policy', roleName: t.roleName, document: next, previous: current }, {
      subject: `the trust policy of role ${t.roleName}`,
      why: `the attacker added ${added.map((a) => a.value).join(', ')} (${c.eventName})`,
      breaks: `${added.map((a) => a.value).join(', ')} can no longer assume ${t.roleName}; every other principal keeps its trust`,
      before: 'trusts outside principals',
      after: 'trusts only the others',
      undo: undoPlan(f.planId),
      reversible: true,
      changes: [c.eventId],
      accessKeyId: incidentKey,
    }));
  }
  // Policy versions it made default.
  const byPolicy = new Map<string, Change[]>();
  for (const c of present.filter((x) => x.target.kind === 'policyVersion')) {
    const t = c.target as Extract<Change['target'], { kind: 'policyVersion' }>;
    byPolicy.set(t.policyArn, [...(byPolicy.get(t.policyArn) ?? []), c]);
  }
  for (const [arn, changes] of byPolicy) {
    const attackerVersions = new Set(f.changes.filter((c) => c.target.kind === 'policyVersion' && c.target.policyArn === arn && c.eventName === 'CreatePolicyVersion').map((c) => (c.target as { versionId: string }).versionId));
    const current = (value(f, { op: 'listPolicyVersions', policyArn: arn }) ?? []).find((v) => v.isDefault)?.versionId;
    const previous = previousDefault(f, arn, attackerVersions);
    if (!current || !previous || previous === current) {
      notes.push(`policy ${policyName(arn)}: no version older than the attacker's to go back to: review its versions by hand`);
      continue;
    }
    steps.push(step({ action: 'set-default-version', policyArn: arn, versionId: previous, previous: current }, {
      subject: `the default version of policy ${policyName(arn)}`,
      why: `the attacker made ${current} the default (${[...new Set(changes.map((c) => c.eventName))].join(', ')}); ${previous} is the newest version it did not write`,
      breaks: `whatever relies on what ${current} grants beyond ${previous}`,
      before: current,
      after: previous,
      undo: awsCli(['iam', 'set-default-policy-version', '--policy-arn', arn, '--version-id', current], 'undo', true),
      reversible: true,
      changes: changes.map((c) => c.eventId),
      accessKeyId: incidentKey,
    }));
  }
  // Trails it stopped.
  for (const c of of('trailLogging')) {
    const t = c.target as Extract<Change['target'], { kind: 'trailLogging' }>;
    if (steps.some((s) => s.params.action === 'start-logging' && s.params.trail === t.trail)) continue;
    steps.push(step({ action: 'start-logging', trail: t.trail, region: t.region }, {
      subject: `trail ${c.resource.id}`,
      why: 'the attacker stopped it (StopLogging): nothing is delivered to its bucket',
      breaks: 'nothing: the trail delivers again (S3 storage and any trail charges resume)',
      before: 'not logging',
      after: 'logging',
      undo: awsCli(['cloudtrail', 'stop-logging', '--name', t.trail], 'undo', true, t.region),
      reversible: true,
      changes: [c.eventId],
      accessKeyId: incidentKey,
    }));
  }
  return { steps, notes };
}

/**
 * The plan. Refuses (RemediationRefusedError) to deactivate the key the caller signs with, or to revoke the
 * sessions of the caller's own user while it signs with one, unless --force.
 */
export function planContainment(f: ContainFacts): ContainPlan {
  const drafts: Draft[] = [];
  const notes: string[] = [];
  const p = f.principal;
  const incidentKey = p.accessKeyId ?? '';
  const callerUser = userNameFromArn(f.caller.arn);
  if (p.kind === 'iam-user' && p.userName) {
    if (p.accessKeyId?.startsWith('AKIA') && f.principalKeyStatus === 'Active') {
      drafts.push(keyStep(p.userName, p.accessKeyId, 'the finding\'s key: used by the attacker', `every request signed with ${p.accessKeyId}, the attacker's and any legitimate workload's (give it a new key)`, []));
    } else if (p.accessKeyId?.startsWith('AKIA')) {
      notes.push(`${p.accessKeyId} is ${f.principalKeyStatus?.toLowerCase() ?? 'not an active key of the user'}: nothing to deactivate.`);
    } else if (p.accessKeyId) {
      notes.push(`${p.accessKeyId} is a temporary key: revoking ${p.userName}'s older sessions ends it; find the long-term key that minted it in the trail and deactivate that too.`);
    }
    const undo = incidentKey ? remediateSuggestion('restore-sessions', incidentKey, p.userName, 'undo') : awsCli(['iam', 'delete-user-policy', '--user-name', p.userName, '--policy-name', REVOKE_POLICY_NAME], 'undo', true);
    drafts.push(revokeStep(p.userName, 'temporary credentials minted from the key stay valid after it is deactivated', incidentKey, undo));
  } else if (p.kind === 'assumed-role' && p.roleName) {
    drafts.push(step({ action: 'revoke-role-sessions', roleName: p.roleName, policyName: ROLE_REVOKE_POLICY_NAME }, {
      subject: `sessions of role ${p.roleName} issued before now`,
      why: 'the finding\'s credentials are a session of this role: a role session cannot be deactivated, only denied',
      breaks: `every session of ${p.roleName} issued before the step, including legitimate ones (instances and services get new credentials within the hour)`,
      before: 'absent',
      after: 'present',
      undo: awsCli(['iam', 'delete-role-policy', '--role-name', p.roleName, '--policy-name', ROLE_REVOKE_POLICY_NAME], 'undo', true),
      reversible: true,
      changes: [],
      accessKeyId: incidentKey,
    }));
  }
  const fromChanges = changeSteps(f, incidentKey);
  drafts.push(...fromChanges.steps);
  notes.push(...fromChanges.notes);
  if (f.quarantineArn && p.kind === 'iam-user' && p.userName) {
    drafts.push(step({ action: 'attach-policy', holder: 'user', name: p.userName, policyArn: f.quarantineArn }, {
      subject: `${policyName(f.quarantineArn)} on user ${p.userName}`,
      why: '--quarantine: AWS\'s own deny list for leaked keys, so a key or session missed above still cannot create keys, users or instances',
      breaks: `${p.userName} loses the actions the quarantine policy denies, whatever key or session it uses, until the policy is detached`,
      before: 'detached',
      after: 'attached',
      undo: awsCli(['iam', 'detach-user-policy', '--user-name', p.userName, '--policy-arn', f.quarantineArn], 'undo', true),
      reversible: true,
      changes: [],
      accessKeyId: incidentKey,
    }));
  }
  // Guards, as remediate's: never lock the analyst out mid-response without --force.
  if (!f.force) {
    const own = drafts.find((d) => d.params.action === 'deactivate' && d.params.accessKeyId === f.caller.accessKeyId);
    if (own) {
      throw new RemediationRefusedError(
        `step "${own.subject}" would deactivate the access key you are signed in with (${f.caller.arn})`,
        'own_key',
        'run gd-ir contain with other credentials (another user or a role), or pass --force',
      );
    }
    const ownSession = drafts.find((d) => d.params.action === 'revoke-sessions' && d.params.userName === callerUser && (f.caller.accessKeyId?.startsWith('ASIA') ?? false));
    if (ownSession) {
      throw new RemediationRefusedError(`you are signed in with temporary credentials of ${callerUser}: revoking that user's older sessions would deny your own`, 'own_session', 'run gd-ir contain with other credentials, or pass --force');
    }
  }
  const manual: ManualStep[] = manualStepsFor(f.changes);
  return {
    planId: f.planId,
    findingId: f.findingId,
    accountId: f.accountId,
    region: f.region,
    caller: f.caller,
    principal: { ...(p.accessKeyId ? { accessKeyId: p.accessKeyId } : {}), ...(p.userName ? { userName: p.userName } : {}), ...(p.roleName ? { roleName: p.roleName } : {}) },
    steps: drafts.map((d, i) => ({ ...d, number: i + 1 })),
    manual,
    notes,
  };
}

/** `--steps 1,3,4`: the steps chosen, in plan order; unknown numbers are a usage error upstream. */
export function selectSteps(plan: ContainPlan, numbers: readonly number[] | 'all'): ContainStep[] {
  if (numbers === 'all') return [...plan.steps];
  const wanted = new Set(numbers);
  return plan.steps.filter((s) => wanted.has(s.number));
}

/** The typed confirmation: the number of steps chosen (surrounding spaces forgiven). */
export function containConfirmationMatches(typed: string, selected: readonly ContainStep[]): boolean {
  return typed.trim() === String(selected.length);
}
