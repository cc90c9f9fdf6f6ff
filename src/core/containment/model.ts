/**
 * Containment of a whole incident (`gd-ir contain`): one numbered plan built from the investigation's changes, each
 * step one IAM or CloudTrail write with its exact call, its undo, and what it breaks. Types only; plan.ts decides,
 * undo.ts turns an audited plan back into its inverse.
 */
import type { AccountAccess } from '../access.js';
import type { RemediationAction } from '../remediation/model.js';
import type { Suggestion } from '../suggestion.js';

/** The writes a plan step makes (remediate's four, plus what undoing an attacker's changes takes). */
export type ContainAction =
  | RemediationAction
  | 'delete-login-profile'
  | 'detach-policy'
  | 'attach-policy'
  | 'delete-inline-policy'
  | 'put-inline-policy'
  | 'revoke-role-sessions'
  | 'restore-role-sessions'
  | 'set-trust-policy'
  | 'set-default-version'
  | 'start-logging'
  | 'stop-logging';

export type Holder = 'user' | 'role' | 'group';

/** What a step needs to act, verify and be undone: its parameters, exactly. */
export type StepParams =
  | { action: 'deactivate' | 'reactivate'; userName: string; accessKeyId: string }
  | { action: 'revoke-sessions' | 'restore-sessions'; userName: string; policyName: string }
  | { action: 'revoke-role-sessions' | 'restore-role-sessions'; roleName: string; policyName: string }
  | { action: 'delete-login-profile'; userName: string }
  | { action: 'detach-policy' | 'attach-policy'; holder: Holder; name: string; policyArn: string }
  | { action: 'delete-inline-policy'; holder: Holder; name: string; policyName: string; document?: string }
  | { action: 'put-inline-policy'; holder: Holder; name: string; policyName: string; document: string }
  | { action: 'set-trust-policy'; roleName: string; document: string; previous: string }
  | { action: 'set-default-version'; policyArn: string; versionId: string; previous: string }
  | { action: 'start-logging' | 'stop-logging'; trail: string; region: string };

export interface ContainStep {
  /** 1-based, in plan order. */
  number: number;
  action: ContainAction;
  params: StepParams;
  /** The IAM/CloudTrail action it calls (`iam:UpdateAccessKey`), for the audit log and docs/permissions.md. */
  api: string;
  /** The exact call: operation and parameters, as a line. */
  call: string;
  /** What it acts on, in words (`access key AKIA… of backup-svc`). */
  subject: string;
  /** The step's heading when the action's verb and subject do not say it (an undo plan's restores). */
  title?: string;
  /** Why this step: the change it undoes. */
  why: string;
  /** What stops working, for whom. */
  breaks: string;
  /** State before and the state the step is verified to reach. */
  before: string;
  after: string;
  /** The command that undoes this step (undefined when it cannot be undone), and whether it is undone exactly. */
  undo?: Suggestion;
  reversible: boolean;
  /** The event IDs of the changes it undoes. */
  changes: string[];
  /** For the audit log: the key the step acts on, else the incident's key. */
  accessKeyId: string;
}

export interface ManualStep {
  text: string;
  why: string;
  check?: Suggestion;
}

export interface ContainCaller {
  arn: string;
  accountId: string;
  accessKeyId?: string;
}

export interface ContainPlan {
  planId: string;
  findingId: string;
  accountId: string;
  region: string;
  caller: ContainCaller;
  /** The incident's key and user (or role). */
  principal: { accessKeyId?: string; userName?: string; roleName?: string };
  steps: ContainStep[];
  manual: ManualStep[];
  notes: string[];
  /** For `contain --undo`: the plan this one reverses. */
  undoOf?: string;
  /**
   * How the account is read and changed: the caller's own credentials, or in a member account its read role and its
   * write role (the write role's session once assumed and checked), and the analyst behind them.
   */
  access?: { read: AccountAccess; write: AccountAccess; analystArn?: string };
}

export interface ContainStepResult {
  step: ContainStep;
  operationId?: string;
  changed: boolean;
  verified: boolean;
  observed?: string;
  error?: string;
}

export interface ContainResult {
  plan: ContainPlan;
  /** The steps chosen (all, --steps, or the checkbox). */
  selected: ContainStep[];
  results: ContainStepResult[];
  /** Steps not run because an earlier one failed or was not verified. */
  remaining: ContainStep[];
  dryRun: boolean;
  auditLog: string;
  /** Set when the plan stopped at a failed step. */
  failure?: unknown;
}
