/** What every recommendation builder shares: the model, the identifier guard, the watch command. */
import { gdIr, type Suggestion } from '../suggestion.js';

export type RecommendedAction = 'deactivate-key' | 'revoke-user-sessions' | 'revoke-role-sessions' | 'contain-incident' | 'manual-root' | 'none';

export interface Recommendation {
  action: RecommendedAction;
  /** One line saying what to do. */
  summary: string;
  /** The commands to run, in order. */
  commands: Suggestion[];
  /** What to watch afterwards. */
  watch: Suggestion[];
  /** Manual steps gd-ir cannot do. */
  manualSteps: string[];
  rationale: string[];
}

/** Values that may be pasted into a shell: IAM identifiers only (a finding from a file can hold anything). */
export const SAFE_KEY = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;
export const SAFE_NAME = /^[\w+=,.@-]{1,64}$/;

/** `gd-ir trail --key <key> --since 1h` in the finding's region: did containment hold? */
export function watchKey(accessKeyId: string, region: string): Suggestion {
  return gdIr(['trail', '--key', accessKeyId, '--since', '1h'], 'watch', false, region);
}
