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
import { RISK_CATALOG, type RiskCapability, type RiskCategory } from './data/risk-catalog.js';
import { ACCESS_LEVELS, loadActionCatalog, loadServiceKeys, type AccessLevel, type ActionCatalog, type CatalogAction } from './iam-catalog.js';
import type { PolicyStatement } from './policy-document.js';

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

interface StatementRef {
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

function matchesAction(m: CompiledActions, key: string): boolean {
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

function locate(ref: StatementRef): StatementLocation {
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

/** Service prefixes the identity Allow statements can reach ('all' for `*` or NotAction). */
async function servicesToLoad(evaluator: Evaluator): Promise<Set<string> | 'all'> {
  const out = new Set<string>();
  let keys: readonly string[] | undefined;
  for (const ref of evaluator.identityAllows) {
    if (ref.matchers.negated) return 'all';
    for (const p of ref.matchers.patterns) {
      if (!p.service) return 'all';
      if (p.literalService) {
        out.add(p.literalService);
        continue;
      }
      keys ??= await loadServiceKeys();
      for (const k of keys) if (p.service.test(k)) out.add(k);
    }
  }
  return out;
}

function emptyCounts(): GrantedActionCounts {
  const c = { total: 0 } as GrantedActionCounts;
  for (const level of ACCESS_LEVELS) c[level] = 0;
  return c;
}

export interface AnalyzeOptions {
  /** The principal's ARN, to tell "on itself" from "on other users" (iam:CreateAccessKey). */
  principalArn?: string;
  /** A preloaded catalogue (tests); by default the bundled AWS catalogue is loaded lazily. */
  catalog?: ActionCatalog;
}

/**
 * Analyse identity policies (and an optional permissions boundary). Asynchronous only because the
 * action catalogue is loaded on first use; otherwise pure.
 */
export async function analyzePolicies(
  policies: readonly AnalyzablePolicy[],
  boundary?: AnalyzablePolicy,
  options: AnalyzeOptions = {},
): Promise<PolicyAnalysis> {
  const evaluator = new Evaluator(policies, boundary);
  const catalog = options.catalog ?? (await loadActionCatalog(await servicesToLoad(evaluator)));

  // Expand every Allow against the catalogue, remembering which statements cover whole services.
  const identity = new Map<string, { action: CatalogAction; allows: StatementRef[] }>();
  const fullServiceStatements: Array<{ ref: StatementRef; service: string }> = [];
  const everything = new Map<StatementRef, Set<string>>();
  for (const ref of evaluator.identityAllows) {
    const services = ref.matchers.negated || ref.matchers.patterns.some((p) => !p.service)
      ? catalog.serviceKeys()
      : catalog.serviceKeys().filter((s) => ref.matchers.patterns.some((p) => p.service?.test(s)));
    for (const service of services) {
      const actions = catalog.actions(service);
      if (!actions || actions.length === 0) continue;
      let matched = 0;
      for (const action of actions) {
        const key = action.key.toLowerCase();
        if (!matchesAction(ref.matchers, key)) continue;
        matched++;
        const entry = identity.get(key);
        if (entry) entry.allows.push(ref);
        else identity.set(key, { action, allows: [ref] });
      }
      if (matched === actions.length) {
        fullServiceStatements.push({ ref, service });
        let s = everything.get(ref);
        if (!s) everything.set(ref, (s = new Set()));
        s.add(service);
      }
    }
  }

  const effective = new Map<string, EffectiveGrant>();
  const boundaryLimited: string[] = [];
  const deniedActions: string[] = [];
  const removes = new Map<StatementRef, number>();
  const mayRemove = new Map<StatementRef, number>();
  const blockedHow = new Map<string, 'boundary' | 'deny'>();
  for (const [key, { action, allows }] of identity) {
    const d = evaluator.decide(key, allows);
    if (d.decision === 'boundary') {
      boundaryLimited.push(action.key);
      blockedHow.set(key, 'boundary');
      continue;
    }
    if (d.decision === 'denied') {
      deniedActions.push(action.key);
      blockedHow.set(key, 'deny');
      for (const r of d.totalDenies) removes.set(r, (removes.get(r) ?? 0) + 1);
      continue;
    }
    for (const r of d.mayBeDeniedBy) mayRemove.set(r, (mayRemove.get(r) ?? 0) + 1);
    effective.set(key, {
      action,
      allowedBy: allows,
      conditional: d.decision === 'conditional',
      mayBeDeniedBy: d.mayBeDeniedBy,
      broad: allows.some((r) => r.broad),
    });
  }

  const counts = emptyCounts();
  let conditionalActionCount = 0;
  for (const g of effective.values()) {
    counts[g.action.accessLevel]++;
    counts.total++;
    if (g.conditional) conditionalActionCount++;
  }

  // Administrator-equivalent: one unconditional statement granting a whole sensitive service (or
  // everything) on every resource, with nothing of that service cut by the boundary.
  const admin: AdminFinding[] = [];
  const ADMIN_SERVICES = ['iam', 'sts', 'organizations'];
  for (const { ref, service } of fullServiceStatements) {
    if (ref.conditional || !(ref.statement.resources ?? []).includes('*')) continue;
    if (!ADMIN_SERVICES.includes(service)) continue;
    const serviceActions = catalog.actions(service) ?? [];
    if (serviceActions.some((a) => blockedHow.get(a.key.toLowerCase()) === 'boundary')) continue;
    const coversAll = (everything.get(ref)?.size ?? 0) >= catalog.serviceKeys().length;
    const scope = coversAll ? '*' : service;
    if (admin.some((a) => a.policy === ref.policy && a.statementIndex === ref.statement.index)) continue;
    admin.push({ scope, policy: ref.policy, statementIndex: ref.statement.index });
  }

  const risks: RiskFinding[] = [];
  const blockedRisks: BlockedRisk[] = [];
  // What the identity policies alone would grant: a risk found there but not in `effective` is one the boundary or a Deny stops.
  const identityOnly = new Map<string, EffectiveGrant>();
  for (const [key, { action, allows }] of identity) {
    identityOnly.set(key, { action, allowedBy: allows, conditional: allows.every((r) => r.conditional), mayBeDeniedBy: [], broad: allows.some((r) => r.broad) });
  }
  for (const cap of RISK_CATALOG) {
    const found = evaluateRisk(cap, effective, options.principalArn);
    if (found) {
      risks.push(found);
      continue;
    }
    if (evaluateRisk(cap, identityOnly, options.principalArn)) {
      const keys = cap.requires.flat().map((a) => a.toLowerCase());
      const how = keys.some((k) => blockedHow.get(k) === 'boundary') ? 'boundary' : 'deny';
      blockedRisks.push({ id: cap.id, capability: cap.capability, category: cap.category, blockedBy: how });
    }
  }

  const denyStatements: DenyStatementSummary[] = evaluator.denies.map((r) => ({
    ...locate(r),
    ...(r.statement.actions ? { actions: r.statement.actions } : {}),
    ...(r.statement.notActions ? { notActions: r.statement.notActions } : {}),
    ...(r.statement.resources ? { resources: r.statement.resources } : {}),
    ...(r.statement.notResources ? { notResources: r.statement.notResources } : {}),
    conditional: r.conditional,
    removes: removes.get(r) ?? 0,
    mayRemove: mayRemove.get(r) ?? 0,
  }));

  const allRefs = [...toRefsFrom(evaluator)];
  const conditionalStatements: ConditionalStatement[] = allRefs
    .filter((r) => r.conditional)
    .map((r) => ({ ...locate(r), effect: r.statement.effect, conditionKeys: r.statement.conditionKeys }));

  return {
    isAdmin: admin.length > 0,
    admin,
    grantedActionCounts: counts,
    conditionalActionCount,
    risks,
    blockedRisks,
    deniedActions: deniedActions.sort(),
    denyStatements,
    hasBoundary: boundary !== undefined,
    boundaryLimited: boundaryLimited.sort(),
    conditionalStatements,
    effective,
    evaluator,
  };
}

function toRefsFrom(e: Evaluator): StatementRef[] {
  const seen = new Set<StatementRef>();
  const out: StatementRef[] = [];
  for (const r of [...e.identityAllows, ...e.denies, ...(e.boundaryAllows ?? [])]) {
    if (seen.has(r)) continue;
    seen.add(r);
    out.push(r);
  }
  return out;
}

function isSelfResource(resource: string, principalArn: string | undefined): boolean {
  return resource.includes('${aws:username}') || (principalArn !== undefined && resource === principalArn);
}

function scopeAllows(cap: RiskCapability, ref: StatementRef, principalArn: string | undefined): boolean {
  switch (cap.resource) {
    case 'any':
      return true;
    case 'broad':
      return ref.broad;
    case 'not-self':
      return ref.statement.notResources !== undefined || (ref.statement.resources ?? ['*']).some((r) => !isSelfResource(r, principalArn));
  }
}

function evaluateRisk(cap: RiskCapability, grants: ReadonlyMap<string, EffectiveGrant>, principalArn: string | undefined): RiskFinding | undefined {
  const actions: string[] = [];
  const grantedBy: StatementRef[] = [];
  let unconditional = true;
  for (const group of cap.requires) {
    let groupSatisfied = false;
    let groupUnconditional = false;
    for (const name of group) {
      const g = grants.get(name.toLowerCase());
      if (!g) continue;
      const refs = g.allowedBy.filter((r) => scopeAllows(cap, r, principalArn));
      if (refs.length === 0) continue;
      groupSatisfied = true;
      actions.push(g.action.key);
      for (const r of refs) if (!grantedBy.includes(r)) grantedBy.push(r);
      if (!g.conditional && refs.some((r) => !r.conditional)) groupUnconditional = true;
    }
    if (!groupSatisfied) return undefined;
    if (!groupUnconditional) unconditional = false;
  }
  for (const name of cap.related ?? []) {
    const g = grants.get(name.toLowerCase());
    if (g) actions.push(g.action.key);
  }
  const first = grantedBy[0];
  if (!first) return undefined;
  return {
    id: cap.id,
    capability: cap.capability,
    category: cap.category,
    actions: [...new Set(actions)].sort(),
    policy: first.policy,
    statementIndex: first.statement.index,
    grantedBy: grantedBy.map(locate),
    conditional: !unconditional,
  };
}

/** What the principal's policies say about one action (`ssm:GetParameters`), including actions the catalogue does not know yet. */
export function actionDecision(analysis: PolicyAnalysis, action: string): ActionDecision {
  const g = analysis.effective.get(action.toLowerCase());
  if (g) return g.conditional ? 'conditional' : 'allowed';
  return analysis.evaluator.decideAction(action);
}

/** True when the action is granted (conditionally or not). */
export function isActionAllowed(analysis: PolicyAnalysis, action: string): boolean {
  const d = actionDecision(analysis, action);
  return d === 'allowed' || d === 'conditional';
}

/** Every effectively granted action (`service:Action`), sorted. */
export function grantedActions(analysis: PolicyAnalysis): string[] {
  return [...analysis.effective.values()].map((g) => g.action.key).sort();
}
