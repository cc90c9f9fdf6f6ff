/**
 * A small identity-policy check for calls the sandbox answers on a simulated actor's behalf (src/sandbox/attacker.ts):
 * is `service:Action` allowed to this caller by the policies its user (or role) has now? It follows IAM's evaluation
 * order for identity policies in one account (IAM User Guide, "Policy evaluation logic"): an explicit Deny wins, then
 * an Allow is required; a permissions boundary must allow too. Resources are taken as covered (the attacker's calls
 * name none). Statements are evaluated by the sandbox's one evaluator (src/sandbox/trust-policy.ts), conditions over
 * the call's request context: a condition on a key the context lacks, or with an operator the sandbox does not
 * model, does not hold (so such an Allow allows nothing); the "revoke older sessions" deny is the session check of
 * src/sandbox/auth.ts. The HTTP endpoint does not use this: gd-ir's own calls are authorised by the `deny` knob only
 * (docs/sandbox.md). STS AssumeRole collects the caller's policies here too (`identityPolicies`).
 */
import type { AccountData } from './model.js';
import { identityDecision, type RequestContext } from './trust-policy.js';
import type { Caller } from './types.js';

export type Decision = { allowed: true } | { allowed: false; explicit: boolean };

function defaultDocument(account: AccountData, arn: string): string | undefined {
  const p = Object.hasOwn(account.iam.managedPolicies, arn) ? account.iam.managedPolicies[arn] : undefined;
  return p?.versions.find((v) => v.versionId === p.defaultVersionId)?.document;
}

/**
 * The identity-based policies `caller` has now: its user's (inline, attached, its groups') or its role's, and the
 * permissions boundary's document; undefined when the user or role no longer exists.
 */
export function identityPolicies(account: AccountData, caller: Pick<Caller, 'userName' | 'roleName'>): { documents: string[]; boundary?: string } | undefined {
  const documents: string[] = [];
  let boundaryArn: string | undefined;
  const addManaged = (arns: readonly string[]): void => {
    for (const arn of arns) {
      const d = defaultDocument(account, arn);
      if (d) documents.push(d);
    }
  };
  if (caller.roleName) {
    const role = Object.hasOwn(account.iam.roles, caller.roleName) ? account.iam.roles[caller.roleName] : undefined;
    if (!role) return undefined;
    documents.push(...Object.values(role.inlinePolicies));
    addManaged(role.attachedPolicyArns);
    boundaryArn = role.permissionsBoundaryArn;
  } else if (caller.userName) {
    const user = Object.hasOwn(account.iam.users, caller.userName) ? account.iam.users[caller.userName] : undefined;
    if (!user) return undefined;
    documents.push(...Object.values(user.inlinePolicies));
    addManaged(user.attachedPolicyArns);
    for (const g of user.groups) {
      const group = Object.hasOwn(account.iam.groups, g) ? account.iam.groups[g] : undefined;
      if (!group) continue;
      documents.push(...Object.values(group.inlinePolicies));
      addManaged(group.attachedPolicyArns);
    }
    boundaryArn = user.permissionsBoundaryArn;
  } else return undefined;
  const boundary = boundaryArn !== undefined ? defaultDocument(account, boundaryArn) : undefined;
  return { documents, ...(boundary !== undefined ? { boundary } : {}) };
}

/**
 * Whether `caller` may perform `action` (`s3:ListAllMyBuckets`) under its identity policies as they are now, in the
 * request context `context` (keys lower-cased; conditions on keys it lacks fail as AWS's do).
 */
export function checkIdentityPolicies(account: AccountData, caller: Caller, action: string, context: RequestContext = {}): Decision {
  const policies = identityPolicies(account, caller);
  if (!policies) return { allowed: false, explicit: false };
  const v = identityDecision(policies.documents, action, undefined, context);
  if (v === 'deny') return { allowed: false, explicit: true };
  if (v !== 'allow') return { allowed: false, explicit: false };
  if (policies.boundary !== undefined) {
    const b = identityDecision([policies.boundary], action, undefined, context);
    if (b !== 'allow') return { allowed: false, explicit: b === 'deny' };
  }
  return { allowed: true };
}
