/** Blast radius: who else uses the key, the user's other keys, and what containment breaks. */
import type { ActivityEvidence } from './activity.js';
import type { AccessKeyFact, InvestigationInput } from './model.js';
import type { PrincipalAssessment } from './principal.js';
import { byTime, isoShort, pushUnique } from './util.js';

export interface OtherCaller {
  ip: string;
  userAgents: string[];
  count: number;
  first: string;
  last: string;
  /** Still calling after the malicious activity began: a live workload. */
  activeDuringAttack: boolean;
}

export interface BlastRadius {
  /** Who else uses the key (source IPs other than the finding's). */
  otherCallers: OtherCaller[];
  /** The user's other access keys. */
  otherKeys: AccessKeyFact[];
  /** The finding's key as IAM reports it. */
  key?: AccessKeyFact;
  tags: Array<{ key: string; value: string }>;
  /** What containment breaks, in sentences with evidence. */
  impact: string[];
  /** Why a team would not automate this remediation. */
  automationCaveats: string[];
}

export function assessBlastRadius(input: InvestigationInput, principal: PrincipalAssessment, evidence: ActivityEvidence | undefined): BlastRadius {
  const events = input.events ?? [];
  const attackStart = evidence?.malicious?.firstSeen;
  const key = principal.accessKeyId;
  const callers = new Map<string, OtherCaller>();
  for (const e of [...events].sort(byTime)) {
    if (!e.sourceIp || e.sourceIp === input.finding.remoteIp) continue;
    if (key && e.accessKeyId && e.accessKeyId !== key) continue;
    const c = callers.get(e.sourceIp) ?? { ip: e.sourceIp, userAgents: [], count: 0, first: e.time, last: e.time, activeDuringAttack: false };
    c.count++;
    c.last = e.time;
    pushUnique(c.userAgents, e.userAgent);
    if (attackStart && e.time >= attackStart) c.activeDuringAttack = true;
    callers.set(e.sourceIp, c);
  }
  const otherCallers = [...callers.values()].sort((a, b) => b.count - a.count);
  const keys = input.accessKeys ?? [];
  const otherKeys = keys.filter((k) => k.accessKeyId !== key);
  const own = keys.find((k) => k.accessKeyId === key);
  const tags = input.permissions?.tags ?? [];
  const impact: string[] = [];
  const caveats: string[] = [];
  if (principal.kind === 'iam-user' && key) {
    for (const c of otherCallers) {
      impact.push(
        `Deactivating ${key} also stops the caller at ${c.ip}${c.userAgents.length ? ` (${c.userAgents.join(' | ')})` : ''}: ${c.count} calls since ${c.first}, last at ${c.last}${c.activeDuringAttack ? ', still active after the attack began' : ''}.`,
      );
    }
    const activeOthers = otherKeys.filter((k) => k.status === 'Active');
    if (keys.length > 0) {
      if (activeOthers.length === 0) impact.push(`${principal.userName ?? 'The user'} has no other active access key: that workload has no fallback until it gets a new key.`);
      else impact.push(`${principal.userName ?? 'The user'} has ${activeOthers.length} other active key(s) (${activeOthers.map((k) => k.accessKeyId).join(', ')}): check whether they leaked too.`);
    }
    if (own?.lastUsed?.date) impact.push(`IAM last saw ${key} used at ${isoShort(own.lastUsed.date)}${own.lastUsed.service ? ` (${own.lastUsed.service}${own.lastUsed.region ? `, ${own.lastUsed.region}` : ''})` : ''}.`);
    const owner = tags.find((t) => /^(owner|team|service|application|app)$/i.test(t.key));
    if (owner) impact.push(`The user is tagged ${owner.key}=${owner.value}: tell them before the key goes dark.`);
    if (otherCallers.length > 0) {
      caveats.push(
        `The same key serves a legitimate workload (${otherCallers.map((c) => c.ip).join(', ')}): disabling it automatically would cause an outage the team did not choose.`,
      );
    }
    if (input.derivedCredentials && input.derivedCredentials.length > 0) {
      caveats.push('Deactivating the key alone does not end the temporary credentials minted from it: the response needs a second, deliberate step.');
    }
  } else if (principal.kind === 'assumed-role') {
    impact.push(
      `Revoking the sessions of role ${principal.roleName ?? '?'} denies every session issued before now, including legitimate ones (instances, functions and people using the role); they recover by obtaining new credentials.`,
    );
    for (const c of otherCallers) {
      impact.push(`The session is also used from ${c.ip}${c.userAgents.length ? ` (${c.userAgents.join(' | ')})` : ''}: ${c.count} calls, last at ${c.last}.`);
    }
    caveats.push('A role session revocation hits every workload on the role at once: a person should decide when.');
  }
  return { otherCallers, otherKeys, key: own, tags, impact, automationCaveats: caveats };
}
