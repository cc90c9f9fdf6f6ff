/**
 * What containment never does itself, as manual steps with why: deleting what the attacker created (users, roles,
 * functions, instances: evidence first, and deleting can break more than it fixes), undoing what gd-ir does not read
 * (other services, MFA devices), and re-checking what could not be read.
 */
import type { Change } from '../changes/index.js';
import type { ManualStep } from './model.js';

export function manualStepsFor(changes: readonly Change[]): ManualStep[] {
  const out: ManualStep[] = [];
  const seen = new Set<string>();
  const add = (key: string, m: ManualStep): void => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push(m);
  };
  for (const c of changes) {
    const t = c.target;
    const alive = c.state.status === 'present' || c.state.status === 'changed';
    if (t.kind === 'user' && alive) {
      add(`user:${t.userName}`, {
        text: `Delete user ${t.userName} once the steps above have removed its keys, password and policies, and its activity is saved.`,
        why: 'gd-ir never deletes users: the user is evidence (its keys, policies and CloudTrail history name it), and deleting first would lose them.',
        ...(c.check ? { check: c.check } : {}),
      });
    } else if (t.kind === 'role' && alive) {
      add(`role:${t.roleName}`, {
        text: `Review role ${t.roleName} (created by the attacker): detach its policies and delete it once its sessions and use are understood.`,
        why: 'gd-ir never deletes roles: something may already run with it (a function, an instance), and its trust policy is evidence.',
        ...(c.check ? { check: c.check } : {}),
      });
    } else if (t.kind === 'loginProfile' && t.how === 'updated' && alive) {
      add(`owner:${t.userName}`, {
        text: `Tell the owner of ${t.userName} that the attacker changed its console password: after the plan deletes it, they set a new one (and check the user's MFA devices).`,
        why: 'the password the attacker set cannot be restored, only replaced by its owner.',
      });
    } else if (t.kind === 'mfaDevice') {
      add(`mfa:${c.eventId}`, {
        text: `${c.summary}: check the MFA devices and deactivate the attacker's.`,
        why: 'gd-ir does not read or change MFA devices; a device the attacker registered locks the owner out or lets the attacker pass MFA.',
        ...(c.check ? { check: c.check } : {}),
      });
    } else if (t.kind === 'recorded' && c.category !== 'other') {
      add(`rec:${c.eventId}`, {
        text: `${c.summary} (${c.service}, ${c.region}): check it and undo it by hand.`,
        why: `gd-ir does not read or change ${c.service}: its state was not read, and what the attacker created is evidence, never deleted automatically.`,
        ...(c.check ? { check: c.check } : {}),
      });
    } else if (t.kind === 'inlinePolicy' && c.state.status === 'changed') {
      add(`inline:${t.holder}:${t.name}:${t.policyName}`, {
        text: `Inline policy ${t.policyName} of ${t.holder} ${t.name} was rewritten after the attacker put it: review it by hand.`,
        why: 'someone changed it since; deleting it could remove a fix.',
        ...(c.check ? { check: c.check } : {}),
      });
    } else if (t.kind === 'managedAttachment' && t.detached && c.state.status === 'present') {
      add(`reattach:${t.holder}:${t.name}:${t.policyArn}`, {
        text: `The attacker detached ${t.policyArn} from ${t.holder} ${t.name}: re-attach it if it was a guardrail.`,
        why: 'gd-ir does not re-grant permissions on its own.',
        ...(c.check ? { check: c.check } : {}),
      });
    } else if (t.kind === 'trailDeleted' && c.state.status === 'present') {
      add(`trail:${t.trail}`, {
        text: `Recreate trail ${t.trail} (the attacker deleted it) from your infrastructure code.`,
        why: 'a deleted trail cannot be restored by an API call; its delivered log files remain in the bucket.',
        ...(c.check ? { check: c.check } : {}),
      });
    } else if (c.state.status === 'unknown' && c.state.read === false && t.kind !== 'recorded' && c.state.detail.startsWith('could not be read')) {
      add(`unread:${c.eventId}`, {
        text: `${c.summary}: its current state ${c.state.detail}; re-run gd-ir contain when it can be read, or check it by hand.`,
        why: 'a step is only planned for what was read to be still in place.',
        ...(c.check ? { check: c.check } : {}),
      });
    }
  }
  return out;
}
