/**
 * The `gd-ir policies --json` contract (docs/json/policies.md), built field by field from the model.
 * Raw values: nothing here is sanitised.
 */
import type { PermissionsResult, PolicyEntry } from '../core/permissions.js';
import type { PolicyRef, StatementLocation } from '../core/policy-eval/index.js';

function ref(p: PolicyRef): { policy: string; policyArn: string | null; source: string; group: string | null } {
  return { policy: p.name, policyArn: p.arn ?? null, source: p.source, group: p.group ?? null };
}

function location(l: StatementLocation): Record<string, unknown> {
  return { ...ref(l.policy), statementIndex: l.statementIndex, sid: l.sid ?? null };
}

function policyJson(p: PolicyEntry): Record<string, unknown> {
  return {
    source: p.source,
    group: p.group ?? null,
    kind: p.kind,
    name: p.name,
    arn: p.arn ?? null,
    versionId: p.versionId ?? null,
    document: p.document ?? null,
    ...(p.parseError !== undefined ? { parseError: p.parseError } : {}),
  };
}

export function policiesJson(result: PermissionsResult): Record<string, unknown> {
  const { principal: pr, analysis: a } = result;
  return {
    schemaVersion: 1,
    principal: {
      type: pr.type,
      name: pr.name,
      arn: pr.arn ?? null,
      id: pr.id ?? null,
      path: pr.path ?? null,
      created: pr.created ?? null,
      tags: pr.tags.map((t) => ({ key: t.key, value: t.value })),
      boundary: pr.boundaryArn ? { name: pr.boundaryName ?? null, arn: pr.boundaryArn } : null,
      ...(pr.type === 'user' ? { passwordLastUsed: pr.passwordLastUsed ?? null } : {}),
      ...(pr.type === 'role'
        ? {
            description: pr.description ?? null,
            maxSessionDuration: pr.maxSessionDuration ?? null,
            lastUsed: pr.lastUsed ? { date: pr.lastUsed.date ?? null, region: pr.lastUsed.region ?? null } : null,
            trustPolicy: pr.trustPolicy
              ? { document: pr.trustPolicy.document ?? null, ...(pr.trustPolicy.parseError ? { parseError: pr.trustPolicy.parseError } : {}) }
              : null,
          }
        : {}),
    },
    policies: result.policies.map(policyJson),
    analysis: {
      isAdmin: a.isAdmin,
      admin: a.admin.map((x) => ({ scope: x.scope, ...ref(x.policy), statementIndex: x.statementIndex })),
      grantedActionCounts: { ...a.grantedActionCounts },
      conditionalActionCount: a.conditionalActionCount,
      risks: a.risks.map((r) => ({
        id: r.id,
        capability: r.capability,
        category: r.category,
        actions: [...r.actions],
        ...ref(r.policy),
        statementIndex: r.statementIndex,
        conditional: r.conditional,
        grantedBy: r.grantedBy.map(location),
      })),
      blockedRisks: a.blockedRisks.map((b) => ({ id: b.id, capability: b.capability, category: b.category, blockedBy: b.blockedBy })),
      deniedActions: [...a.deniedActions],
      denyStatements: a.denyStatements.map((d) => ({
        ...location(d),
        actions: d.actions ?? null,
        notActions: d.notActions ?? null,
        resources: d.resources ?? null,
        notResources: d.notResources ?? null,
        conditional: d.conditional,
        removes: d.removes,
        mayRemove: d.mayRemove,
      })),
      boundaryLimited: a.hasBoundary ? { actionCount: a.boundaryLimited.length, actions: [...a.boundaryLimited] } : null,
      conditionalStatements: a.conditionalStatements.map((c) => ({ ...location(c), effect: c.effect, conditionKeys: [...c.conditionKeys] })),
    },
    warnings: [...result.warnings],
  };
}
