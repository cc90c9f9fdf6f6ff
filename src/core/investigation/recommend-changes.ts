/**
 * When the attacker left changes behind, containing one key is not enough: the recommendation becomes the whole
 * incident as one plan (`gd-ir contain`), then `gd-ir watch` to see that it holds. What gd-ir never changes
 * (created users, functions, instances) stays a manual step, with why.
 */
import { gdIr } from '../suggestion.js';
import type { Change } from '../changes/index.js';
import type { InvestigationInput } from './model.js';
import type { Recommendation } from './recommend-common.js';

const stillThere = (c: Change): boolean => c.state.status === 'present';
const exists = (c: Change): boolean => c.state.status === 'present' || c.state.status === 'changed';

/** Manual steps for what containment never does itself. */
export function manualStepsForChanges(changes: readonly Change[]): string[] {
  const steps: string[] = [];
  for (const c of changes) {
    if (c.target.kind === 'user' && exists(c)) {
      steps.push(`User ${c.target.userName} was created by the attacker: once its keys, password and policies are removed and the evidence is kept, delete it by hand (gd-ir never deletes users).`);
    } else if (c.target.kind === 'recorded' && c.state.status === 'unknown' && c.category !== 'other') {
      steps.push(`${c.summary} (${c.service}, ${c.region}): gd-ir did not read or change it; check it and undo it by hand.`);
    } else if (c.target.kind === 'loginProfile' && c.target.how === 'updated' && stillThere(c)) {
      steps.push(`The attacker changed the console password of ${c.target.userName}: after containment deletes it, tell the owner to set a new one.`);
    }
  }
  return steps;
}

export function withChanges(base: Recommendation, input: InvestigationInput): Recommendation {
  const changes = input.changes?.changes ?? [];
  const inPlace = changes.filter(stillThere);
  if (inPlace.length === 0 || (base.action !== 'deactivate-key' && base.action !== 'revoke-user-sessions' && base.action !== 'revoke-role-sessions')) return base;
  const f = input.finding;
  return {
    action: 'contain-incident',
    summary: `Contain the whole incident: ${inPlace.length} change${inPlace.length === 1 ? '' : 's'} the attacker made ${inPlace.length === 1 ? 'is' : 'are'} still in place; one plan deactivates every key it made, removes what it granted, restores what it stopped, and verifies each step.`,
    commands: [gdIr(['contain', f.id], 'contain', true, f.region)],
    watch: [gdIr(['watch', '--finding', f.id], 'watch', false, f.region)],
    manualSteps: [...manualStepsForChanges(changes), ...base.manualSteps],
    rationale: [
      ...inPlace.map((c) => `${c.summary}: ${c.state.detail}.`),
      `Deactivating ${f.principal?.accessKeyId ?? 'the key'} alone would leave these in place (gd-ir remediate contains one key).`,
      ...base.rationale,
    ],
  };
}
