/**
 * The sandbox's one policy evaluator, over the request context AWS builds for a call: for STS AssumeRole, a role's
 * trust policy (a resource-based policy whose `Principal` names who may assume it) and the caller's identity-based
 * policies; for the simulated attacker's calls (src/sandbox/policy-check.ts), the caller's identity-based policies.
 *
 * Sources (IAM User Guide): "Policy evaluation logic" (explicit deny, then allow; cross-account requests need both the
 * identity-based policy of the caller and the resource-based policy), "AWS JSON policy elements: Principal"
 * (an account ID or `arn:…:root` delegates to the account's own policies, `*` is everyone, a role ARN matches that
 * role's sessions), "Condition operators" (String*, Arn*, Bool, Numeric*, Date*, Null, the …IfExists suffix: a missing
 * key fails the positive operators and satisfies the negated ones, Null and …IfExists), and "AWS global condition context keys"
 * (aws:MultiFactorAuthPresent is absent for long-term credentials). Only what a trust policy or an analyst's
 * AssumeRole permission uses is modelled; an operator the sandbox does not know never matches (fails closed).
 */
import { isRecord } from './wire.js';

/** Condition context: key (lower-cased) → value(s). Absent keys are missing, not empty. */
export type RequestContext = Record<string, string | string[]>;

export interface PrincipalFacts {
  /** The caller's ARN as policies name it: a user ARN, or the role ARN for a role session. */
  arn: string;
  /** The assumed-role session ARN (arn:aws:sts::…:assumed-role/Role/session), when the caller is a role session. */
  sessionArn?: string;
  accountId: string;
}

export type Decision = 'allow' | 'deny' | 'none';

interface Statement {
  effect: 'Allow' | 'Deny';
  principal?: unknown;
  notPrincipal?: unknown;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition?: Record<string, unknown>;
}

const list = (v: unknown): string[] | undefined => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string'));

/** The statements of a policy document (JSON text); a document that does not parse has none. */
export function statementsOf(doc: string): Statement[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch {
    return [];
  }
  if (!isRecord(parsed)) return [];
  const raw = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement === undefined ? [] : [parsed.Statement];
  const out: Statement[] = [];
  for (const st of raw) {
    if (!isRecord(st) || (st.Effect !== 'Allow' && st.Effect !== 'Deny')) continue;
    const s: Statement = { effect: st.Effect };
    if (st.Principal !== undefined) s.principal = st.Principal;
    if (st.NotPrincipal !== undefined) s.notPrincipal = st.NotPrincipal;
    const a = list(st.Action);
    if (a) s.action = a;
    const na = list(st.NotAction);
    if (na) s.notAction = na;
    const r = list(st.Resource);
    if (r) s.resource = r;
    const nr = list(st.NotResource);
    if (nr) s.notResource = nr;
    if (isRecord(st.Condition)) s.condition = st.Condition;
    out.push(s);
  }
  return out;
}

/** IAM wildcard match: `*` any run, `?` one character; case-sensitive unless `ignoreCase`. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('') +
      '$',
    ignoreCase ? 'is' : 's',
  );
  return re.test(value);
}

const actionMatches = (patterns: string[], action: string): boolean => patterns.some((p) => wildcardMatch(p, action, true));
const resourceMatches = (patterns: string[], arn: string): boolean => patterns.some((p) => wildcardMatch(p, arn));

/** Whether a `Principal` value names the caller. An account (ID or `:root`) names every principal of that account. */
export function principalMatches(principal: unknown, who: PrincipalFacts): boolean {
  if (principal === '*') return true;
  if (!isRecord(principal)) return false;
  const aws = list(principal.AWS) ?? [];
  return aws.some((p) => {
    if (p === '*') return true;
    if (/^\d{12}$/.test(p)) return p === who.accountId;
    const root = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(p);
    if (root) return root[1] === who.accountId;
    return p === who.arn || (who.sessionArn !== undefined && p === who.sessionArn);
  });
}

/** Whether a principal entry names the caller itself (not merely its account): no identity-based policy is then needed in the same account. */
export function namesPrincipalDirectly(statementPrincipal: unknown, who: PrincipalFacts): boolean {
  if (!isRecord(statementPrincipal)) return false;
  return (list(statementPrincipal.AWS) ?? []).some((p) => p === who.arn || (who.sessionArn !== undefined && p === who.sessionArn));
}

function values(ctx: RequestContext, key: string): string[] | undefined {
  const v = ctx[key.toLowerCase()];
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

const num = (s: string): number => (/^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : NaN);
const date = (s: string): number => (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s));

type Test = (have: string, want: string) => boolean;

const OPERATORS: Record<string, { test: Test; negated?: boolean }> = {
  StringEquals: { test: (h, w) => h === w },
  StringNotEquals: { test: (h, w) => h === w, negated: true },
  StringEqualsIgnoreCase: { test: (h, w) => h.toLowerCase() === w.toLowerCase() },
  StringNotEqualsIgnoreCase: { test: (h, w) => h.toLowerCase() === w.toLowerCase(), negated: true },
  StringLike: { test: (h, w) => wildcardMatch(w, h) },
  StringNotLike: { test: (h, w) => wildcardMatch(w, h), negated: true },
  ArnEquals: { test: (h, w) => h === w },
  ArnLike: { test: (h, w) => wildcardMatch(w, h) },
  ArnNotEquals: { test: (h, w) => h === w, negated: true },
  ArnNotLike: { test: (h, w) => wildcardMatch(w, h), negated: true },
  Bool: { test: (h, w) => h.toLowerCase() === w.toLowerCase() },
  NumericEquals: { test: (h, w) => num(h) === num(w) },
  NumericNotEquals: { test: (h, w) => num(h) === num(w), negated: true },
  NumericLessThan: { test: (h, w) => num(h) < num(w) },
  NumericLessThanEquals: { test: (h, w) => num(h) <= num(w) },
  NumericGreaterThan: { test: (h, w) => num(h) > num(w) },
  NumericGreaterThanEquals: { test: (h, w) => num(h) >= num(w) },
  DateEquals: { test: (h, w) => date(h) === date(w) },
  DateNotEquals: { test: (h, w) => date(h) === date(w), negated: true },
  DateLessThan: { test: (h, w) => date(h) < date(w) },
  DateLessThanEquals: { test: (h, w) => date(h) <= date(w) },
  DateGreaterThan: { test: (h, w) => date(h) > date(w) },
  DateGreaterThanEquals: { test: (h, w) => date(h) >= date(w) },
};

/** Every condition block holds (AND across operators and keys, OR across a key's values). */
export function conditionsHold(condition: Record<string, unknown> | undefined, ctx: RequestContext): boolean {
  if (!condition) return true;
  for (const [rawOp, block] of Object.entries(condition)) {
    if (!isRecord(block)) return false;
    const ifExists = rawOp.endsWith('IfExists');
    const op = ifExists ? rawOp.slice(0, -'IfExists'.length) : rawOp;
    for (const [key, rawWant] of Object.entries(block)) {
      const want = (Array.isArray(rawWant) ? rawWant : [rawWant]).map((w) => String(w));
      const have = values(ctx, key);
      if (op === 'Null') {
        // Null: "true" = the key must be absent, "false" = present.
        if (!want.some((w) => (w.toLowerCase() === 'true') === (have === undefined))) return false;
        continue;
      }
      const def = OPERATORS[op];
      if (!def) return false;
      if (have === undefined) {
        // A missing key matches nothing: positive operators fail, negated ones hold, …IfExists skips the test.
        if (ifExists || def.negated) continue;
        return false;
      }
      const anyMatch = have.some((h) => want.some((w) => def.test(h, w)));
      if (def.negated ? anyMatch : !anyMatch) return false;
    }
  }
  return true;
}

/** A resource-based (trust) policy's decision for the caller, one action and the context. */
export function resourcePolicyDecision(doc: string, who: PrincipalFacts, action: string, ctx: RequestContext): { decision: Decision; direct: boolean } {
  let allowed = false;
  let direct = false;
  for (const st of statementsOf(doc)) {
    const principalOk = st.notPrincipal !== undefined ? !principalMatches(st.notPrincipal, who) : principalMatches(st.principal, who);
    if (!principalOk) continue;
    const actionOk = st.notAction ? !actionMatches(st.notAction, action) : st.action ? actionMatches(st.action, action) : false;
    if (!actionOk || !conditionsHold(st.condition, ctx)) continue;
    if (st.effect === 'Deny') return { decision: 'deny', direct: false };
    allowed = true;
    if (namesPrincipalDirectly(st.principal, who)) direct = true;
  }
  return { decision: allowed ? 'allow' : 'none', direct };
}

/**
 * Identity-based policies' decision for one action on one resource. `resource` undefined: the call's resource is not
 * modelled (the simulated attacker's calls, src/sandbox/policy-check.ts), so a statement's Resource/NotResource is
 * taken to cover it.
 */
export function identityDecision(docs: readonly string[], action: string, resource: string | undefined, ctx: RequestContext): Decision {
  let allowed = false;
  for (const doc of docs) {
    for (const st of statementsOf(doc)) {
      const actionOk = st.notAction ? !actionMatches(st.notAction, action) : st.action ? actionMatches(st.action, action) : false;
      const resourceOk =
        resource === undefined ? st.resource !== undefined || st.notResource !== undefined : st.notResource ? !resourceMatches(st.notResource, resource) : st.resource ? resourceMatches(st.resource, resource) : false;
      if (!actionOk || !resourceOk || !conditionsHold(st.condition, ctx)) continue;
      if (st.effect === 'Deny') return 'deny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'none';
}
