/**
 * The analysis of a principal's policies: every action granted (wildcards expanded against the AWS action
 * catalogue), what that amounts to in high-risk capabilities, and what the boundary and denies take away.
 */
import { RISK_CATALOG, type RiskCapability } from '../data/risk-catalog.js';
import { ACCESS_LEVELS, loadActionCatalog, loadServiceKeys, type ActionCatalog, type CatalogAction } from '../iam-catalog.js';
import {
  Evaluator,
  locate,
  matchesAction,
  type ActionDecision,
  type AdminFinding,
  type AnalyzablePolicy,
  type BlockedRisk,
  type ConditionalStatement,
  type DenyStatementSummary,
  type EffectiveGrant,
  type GrantedActionCounts,
  type PolicyAnalysis,
  type RiskFinding,
  type StatementRef,
} from './evaluator.js';

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
