/**
 * A small identity-policy check for calls the sandbox answers on a simulated actor's behalf (src/sandbox/attacker.ts):
 * is `service:Action` allowed to this caller by the policies its user (or role) has now? It follows IAM's evaluation
 * order for identity policies in one account (IAM User Guide, "Policy evaluation logic"): an explicit Deny wins, then
 * an Allow is required; a permissions boundary must allow too. Resources are taken as `*`. Statements with a
 * Condition are skipped (a condition the sandbox cannot evaluate neither allows nor denies); the "revoke older
 * sessions" deny is the session check of src/sandbox/auth.ts. The HTTP endpoint does not use this: gd-ir's own calls
 * are authorised by the `deny` knob only (docs/sandbox.md).
 */
import type { AccountData } from './model.js';
import type { Caller } from './types.js';
import { isRecord } from './wire.js';

export type Decision = { allowed: true } | { allowed: false; explicit: boolean };

function list(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function matches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'i');
  return re.test(action);
}

interface Verdict {
  allow: boolean;
  deny: boolean;
}

function evaluate(documents: readonly string[], action: string): Verdict {
  const out = { allow: false, deny: false };
  for (const text of documents) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      continue;
    }
    if (!isRecord(doc)) continue;
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    for (const st of statements) {
      if (!isRecord(st) || st.Condition !== undefined) continue;
      const hit = st.Action !== undefined ? list(st.Action).some((p) => matches(p, action)) : !list(st.NotAction).some((p) => matches(p, action));
      if (!hit) continue;
      if (st.Effect === 'Deny') out.deny = true;
      else if (st.Effect === 'Allow') out.allow = true;
    }
  }
  return out;
}

function defaultDocument(account: AccountData, arn: string): string | undefined {
  const p = Object.hasOwn(account.iam.managedPolicies, arn) ? account.iam.managedPolicies[arn] : undefined;
  return p?.versions.find((v) => v.versionId === p.defaultVersionId)?.document;
}

/** Whether `caller` may perform `action` (`s3:ListAllMyBuckets`) under its identity policies as they are now. */
export function checkIdentityPolicies(account: AccountData, caller: Caller, action: string): Decision {
  const docs: string[] = [];
  let boundary: string | undefined;
  const addManaged = (arns: readonly string[]): void => {
    for (const arn of arns) {
      const d = defaultDocument(account, arn);
      if (d) docs.push(d);
    }
  };
  if (caller.roleName) {
    const role = Object.hasOwn(account.iam.roles, caller.roleName) ? account.iam.roles[caller.roleName] : undefined;
    if (!role) return { allowed: false, explicit: false };
    docs.push(...Object.values(role.inlinePolicies));
    addManaged(role.attachedPolicyArns);
    if (role.permissionsBoundaryArn) boundary = defaultDocument(account, role.permissionsBoundaryArn);
  } else if (caller.userName) {
    const user = Object.hasOwn(account.iam.users, caller.userName) ? account.iam.users[caller.userName] : undefined;
    if (!user) return { allowed: false, explicit: false };
    docs.push(...Object.values(user.inlinePolicies));
    addManaged(user.attachedPolicyArns);
    for (const g of user.groups) {
      const group = Object.hasOwn(account.iam.groups, g) ? account.iam.groups[g] : undefined;
      if (!group) continue;
      docs.push(...Object.values(group.inlinePolicies));
      addManaged(group.attachedPolicyArns);
    }
    if (user.permissionsBoundaryArn) boundary = defaultDocument(account, user.permissionsBoundaryArn);
  }
  const v = evaluate(docs, action);
  if (v.deny) return { allowed: false, explicit: true };
  if (!v.allow) return { allowed: false, explicit: false };
  if (boundary !== undefined) {
    const b = evaluate([boundary], action);
    if (b.deny || !b.allow) return { allowed: false, explicit: b.deny };
  }
  return { allowed: true };
}
