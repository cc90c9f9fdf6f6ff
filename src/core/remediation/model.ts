/**
 * The remediation model: what was asked, what was read (the key, its user, the caller), the plan's
 * steps, and what came of them. Types, constants and the refusal error; plan.ts decides.
 */
import type { AccountAccess } from '../access.js';
import { RuntimeError } from '../errors.js';
import type { Suggestion } from '../suggestion.js';

/** The inline policy `--revoke-sessions` attaches (and `--restore-sessions` removes — that one only). */
export const REVOKE_POLICY_NAME = 'gd-ir-revoke-older-sessions';
export const REVOKE_POLICY_SID = 'GdIrRevokeOlderSessions';

export type RemediationAction = 'deactivate' | 'reactivate' | 'revoke-sessions' | 'restore-sessions';

export interface RemediationRequest {
  accessKeyId: string;
  /** --user, or the finding's user; required for temporary (ASIA) keys, whose owner IAM cannot tell. */
  userName?: string;
  findingId?: string;
  reactivate: boolean;
  revokeSessions: boolean;
  restoreSessions: boolean;
  force: boolean;
  dryRun: boolean;
  /** --account (or the finding's): the account to act in, when it may not be the caller's. */
  account?: string;
}

export interface AccessKeyLastUse {
  date?: string;
  service?: string;
  region?: string;
}

export interface KeyFacts {
  accessKeyId: string;
  status: string;
  createdAt?: string;
  lastUsed?: AccessKeyLastUse;
}

export interface CallerFacts {
  arn: string;
  userId: string;
  accountId: string;
  /** The access key ID the caller signs with, when the credentials expose it. */
  accessKeyId?: string;
}

export interface RevokePolicyFacts {
  present: boolean;
  /** The aws:TokenIssueTime cutoff of the policy in place, when it is gd-ir's. */
  cutoff?: string;
}

export interface RemediationFacts {
  accountId: string;
  region: string;
  caller: CallerFacts;
  userName: string;
  /** Absent for temporary (ASIA) keys: IAM keeps no status for them. */
  key?: KeyFacts;
  /** The user's other long-term keys. */
  otherKeys: KeyFacts[];
  /** Read only when a sessions action was asked for. */
  revokePolicy?: RevokePolicyFacts;
}

export interface PlanStep {
  action: RemediationAction;
  /** The access key ID for key steps; the inline policy name for session steps. */
  target: string;
  userName: string;
  /** Key status ('Active'/'Inactive') or policy presence ('present'/'absent') before and after. */
  before: string;
  after: string;
  /** Already in the requested state: nothing will be written. */
  noop: boolean;
  /** Exactly what will happen, one sentence per line. */
  effect: string[];
  /** The command that undoes this step. */
  undo: Suggestion;
  /** The policy document `revoke-sessions` attaches. */
  policyDocument?: string;
  /** The aws:TokenIssueTime cutoff of `revoke-sessions`. */
  cutoff?: string;
}

export interface RemediationPlan {
  request: RemediationRequest;
  facts: RemediationFacts;
  steps: PlanStep[];
  /** Steps that will write (the others are no-ops). */
  changes: PlanStep[];
  /** Things the analyst should know (already inactive, sessions not covered, --force in effect). */
  notes: string[];
  /** What the analyst must type to confirm. */
  confirmationToken: string;
  ownKey: boolean;
  /** How the account is read and changed (set by the flow: a member account's read and write roles). */
  access?: { read: AccountAccess; write: AccountAccess; analystArn?: string };
}

/** Refusal of valid input: gd-ir will not act, and says what to do instead (exit 1). */
export class RemediationRefusedError extends RuntimeError {
  constructor(message: string, code: string, remedy?: string) {
    super(message, { code, remedy });
  }
}


export interface StepResult {
  step: PlanStep;
  /** Links the step's audit records; absent when nothing was written. */
  operationId?: string;
  changed: boolean;
  verified: boolean;
  /** The state read back after the write (key status or policy presence). */
  observed?: string;
  error?: string;
}

export interface ReconcileResult {
  operationId: string;
  action: RemediationAction;
  accessKeyId: string;
  intendedState: string | null;
  /** The real state read now (null when it could not be read). */
  observed: string | null;
  note: string;
  /** False in --dry-run: reported, not recorded. */
  recorded: boolean;
  intentTime: string;
}

export interface RemediationResult {
  plan: RemediationPlan;
  results: StepResult[];
  dryRun: boolean;
  auditLog: string;
  reconciled: ReconcileResult[];
}

/** What `--finding` needs to know about a finding (from core/finding's FindingSummary). */
export interface FindingTarget {
  id: string;
  type: string;
  sample: boolean;
  resourceType: string | null;
  instanceId: string | null;
  principal: { userName: string | null; userType: string | null; accessKeyId: string | null; principalId: string | null } | null;
}
