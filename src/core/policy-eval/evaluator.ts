/**
 * A focused IAM policy evaluator: from a principal's identity policies and permissions boundary, which
 * actions it is granted, which high-risk capabilities that amounts to, and what the boundary and the
 * explicit denies take away. Written for incident response, not for authorisation decisions:
 * - action wildcards (`*`, `?`, in service and action names, case-insensitive) are expanded against the
 *   AWS action catalogue, NotAction means "every action except";
 * - resources are not matched against real ARNs; they only decide how broad a grant is (`*` vs a
 *   named resource) and whether an explicit Deny removes a grant outright (Deny on `*`) or may apply;
 * - conditions are never evaluated: conditional statements are reported, a conditional Allow grants
 *   "conditionally", a conditional Deny "may deny";
 * - an action is granted when some identity policy allows it, the boundary (if any) allows it, and no
 *   unconditional Deny on every resource denies it (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 * SCPs, RCPs, resource policies and session policies are outside what an IAM principal's own policies show.
 */
import type { RiskCategory } from '../data/risk-catalog.js';
import type { AccessLevel, CatalogAction } from '../iam-catalog.js';
import type { PolicyStatement } from '../policy-document.js';

export type PolicySource = 'direct' | 'group' | 'boundary';
export type PolicyKind = 'managed-aws' | 'managed-customer' | 'inline';

/** Which policy a statement came from, as the analyst sees it. */
export interface PolicyRef {
  name: string;
  arn?: string;
  source: PolicySource;
  /** The group the policy is inherited from (source 'group'). */
  group?: string;
  kind: PolicyKind;
}

export interface AnalyzablePolicy {
  ref: PolicyRef;
  statements: readonly PolicyStatement[];
}

export interface StatementLocation {
  policy: PolicyRef;
  statementIndex: number;
  sid?: string;
}

export interface StatementRef {
  policy: PolicyRef;
  statement: PolicyStatement;
  matchers: CompiledActions;
  conditional: boolean;
  broad: boolean;
}

export interface EffectiveGrant {
  action: CatalogAction;
  /** The Allow statements granting it. */
  allowedBy: StatementRef[];
  /** Every granting statement (or the boundary's) has a condition. */
  conditional: boolean;
  /** Deny statements that may apply (conditional, or limited to some resources). */
  mayBeDeniedBy: StatementRef[];
  /** Some granting statement covers every resource (Resource `*`, a service-wide ARN, or NotResource). */
  broad: boolean;
}

export interface RiskFinding {
  id: string;
  capability: string;
  category: RiskCategory;
  /** The granted actions that make up the capability (plus related ones that are granted). */
  actions: string[];
  /** The first granting statement (the one to show); every one is in `grantedBy`. */
  policy: PolicyRef;
  statementIndex: number;
  grantedBy: StatementLocation[];
  /** Every way to the capability depends on a condition, or an explicit Deny may apply. */
  conditional: boolean;
}

export interface BlockedRisk {
  id: string;
  capability: string;
  category: RiskCategory;
  /** What removes it: the permissions boundary or an explicit Deny. */
  blockedBy: 'boundary' | 'deny';
}

export interface AdminFinding {
  /** The service the statement grants in full: '*' for every service, or iam / sts / organizations. */
  scope: string;
  policy: PolicyRef;
  statementIndex: number;
}

export interface DenyStatementSummary extends StatementLocation {
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  conditional: boolean;
  /** Grants this Deny removes outright. */
  removes: number;
  /** Grants this Deny may remove (conditional, or only some resources). */
  mayRemove: number;
}

export interface ConditionalStatement extends StatementLocation {
  effect: 'Allow' | 'Deny';
  conditionKeys: string[];
}

export type GrantedActionCounts = Record<AccessLevel, number> & { total: number };

export interface PolicyAnalysis {
  isAdmin: boolean;
  admin: AdminFinding[];
  grantedActionCounts: GrantedActionCounts;
  /** Of which granted only under a condition. */
  conditionalActionCount: number;
  risks: RiskFinding[];
  /** High-risk capabilities the identity policies grant that the boundary or a Deny takes away. */
  blockedRisks: BlockedRisk[];
  /** Granted by identity policies, removed by an unconditional explicit Deny on every resource. */
  deniedActions: string[];
  denyStatements: DenyStatementSummary[];
  /** Whether a permissions boundary was applied. */
  hasBoundary: boolean;
  /** Granted by identity policies but outside the boundary. */
  boundaryLimited: string[];
  conditionalStatements: ConditionalStatement[];
  /** Effective grants by lower-case action key (for isActionAllowed / grantedActions). */
  readonly effective: ReadonlyMap<string, EffectiveGrant>;
  /** Internal: the compiled statements, for decisions on actions missing from the catalogue. */
  readonly evaluator: Evaluator;
}

// --- patterns ------------------------------------------------------------------------------------------

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

interface CompiledAction {
  /** Matches the service prefix; undefined when the pattern is a bare `*`. */
  service?: RegExp;
  literalService?: string;
  full: RegExp;
}

interface CompiledActions {
  negated: boolean;
  patterns: CompiledAction[];
}

function compileAction(pattern: string): CompiledAction {
  const p = pattern.trim();
  if (p === '*') return { full: /^.*$/ };
  const colon = p.indexOf(':');
  if (colon < 0) return { service: /^(?!)$/, full: /^(?!)$/ }; // not an action pattern: matches nothing
  const svc = p.slice(0, colon);
  return {
    service: globToRegExp(svc),
    literalService: /[*?]/.test(svc) ? undefined : svc.toLowerCase(),
    full: globToRegExp(p),
  };
}

function compileStatement(st: PolicyStatement): CompiledActions {
  return st.notActions
    ? { negated: true, patterns: st.notActions.map(compileAction) }
    : { negated: false, patterns: (st.actions ?? []).map(compileAction) };
}

export function matchesAction(m: CompiledActions, key: string): boolean {
  const hit = m.patterns.some((p) => p.full.test(key));
  return m.negated ? !hit : hit;
}

// `*`, or an ARN whose resource part is `*` (arn:aws:s3:::* or arn:aws:s3:::*/* as well).
export function isBroadResource(resource: string): boolean {
  return resource === '*' || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*(\/\*)?$/.test(resource);
}

function statementIsBroad(st: PolicyStatement): boolean {
  if (st.notResources) return true;
  if (!st.resources) return true;
  return st.resources.some(isBroadResource);
}

/** Deny removes a grant outright only when unconditional and on every resource. */
function denyIsTotal(ref: StatementRef): boolean {
  return !ref.conditional && !ref.statement.notResources && (ref.statement.resources ?? ['*']).includes('*');
}

export function locate(ref: StatementRef): StatementLocation {
  return { policy: ref.policy, statementIndex: ref.statement.index, ...(ref.statement.sid ? { sid: ref.statement.sid } : {}) };
}

function toRefs(policies: readonly AnalyzablePolicy[]): StatementRef[] {
  return policies.flatMap((p) =>
    p.statements.map((statement) => ({
      policy: p.ref,
      statement,
      matchers: compileStatement(statement),
      conditional: statement.condition !== undefined,
      broad: statementIsBroad(statement),
    })),
  );
}

// --- evaluation ------------------------------------------------------------------------------------------

export type ActionDecision = 'allowed' | 'conditional' | 'denied' | 'boundary' | 'not-granted';

export class Evaluator {
  readonly identityAllows: StatementRef[];
  readonly denies: StatementRef[];
  readonly boundaryAllows: StatementRef[] | undefined;

  constructor(identity: readonly AnalyzablePolicy[], boundary: AnalyzablePolicy | undefined) {
    const idRefs = toRefs(identity);
    const bRefs = boundary ? toRefs([boundary]) : [];
    this.identityAllows = idRefs.filter((r) => r.statement.effect === 'Allow');
    // A Deny in the boundary denies as surely as one in an identity policy.
    this.denies = [...idRefs, ...bRefs].filter((r) => r.statement.effect === 'Deny');
    this.boundaryAllows = boundary ? bRefs.filter((r) => r.statement.effect === 'Allow') : undefined;
  }

  /** The outcome for one action key given the identity Allow statements that match it. */
  decide(
    key: string,
    allows: StatementRef[],
  ): { decision: ActionDecision; boundaryConditional: boolean; mayBeDeniedBy: StatementRef[]; totalDenies: StatementRef[] } {
    const none = { boundaryConditional: false, mayBeDeniedBy: [], totalDenies: [] };
    if (allows.length === 0) return { decision: 'not-granted', ...none };
    let boundaryConditional = false;
    if (this.boundaryAllows) {
      const b = this.boundaryAllows.filter((r) => matchesAction(r.matchers, key));
      if (b.length === 0) return { decision: 'boundary', ...none };
      boundaryConditional = b.every((r) => r.conditional);
    }
    const denies = this.denies.filter((r) => matchesAction(r.matchers, key));
    const totalDenies = denies.filter(denyIsTotal);
    if (totalDenies.length > 0) return { decision: 'denied', boundaryConditional, mayBeDeniedBy: [], totalDenies };
    const mayBeDeniedBy = denies.filter((r) => !denyIsTotal(r));
    const conditional = boundaryConditional || allows.every((r) => r.conditional) || mayBeDeniedBy.length > 0;
    return { decision: conditional ? 'conditional' : 'allowed', boundaryConditional, mayBeDeniedBy, totalDenies };
  }

  decideAction(action: string): ActionDecision {
    const key = action.toLowerCase();
    return this.decide(key, this.identityAllows.filter((r) => matchesAction(r.matchers, key))).decision;
  }
}
