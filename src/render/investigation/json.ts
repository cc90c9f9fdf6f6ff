/**
 * The `gd-ir investigate --json` contract (docs/json/investigate.md), built field by field from the
 * report. It reuses the findings, trail and policies mappers so a field means the same thing in every
 * command. Raw values: nothing here is sanitised.
 */
import { trailSourceFacts } from '../../core/investigation/data-source.js';
import type { InvestigationReport } from '../../core/investigation/index.js';
import { commandLine, type RunScope, type Suggestion } from '../../core/suggestion.js';
import { accessJson } from '../access-json.js';
import { changeToJson } from '../changes-json.js';
import { findingSummaryJson } from '../findings-json.js';
import { policiesJson } from '../policies-json.js';
import { derivedCredentialToJson, sourceToJson, trailEventToJson, trailSummaryToJson } from '../trail-json.js';

export const INVESTIGATE_SCHEMA_VERSION = 1;

/** A suggestion as JSON: the line to run (scoped like the terminal's) and what it is. */
export function suggestionJson(s: Suggestion, scope: RunScope): Record<string, unknown> {
  return { command: commandLine(s, scope), tool: s.tool, argv: [...s.argv], purpose: s.purpose, changes: s.changes, region: s.region ?? null };
}

/** `scope`: where the run acted, so `recommendation.commands` are the lines the terminal printed. */
export function investigationJson(report: InvestigationReport, scope: RunScope = {}): Record<string, unknown> {
  const { detail: d, investigation: inv } = report;
  const pr = inv.principal;
  const a = inv.activity;
  const ev = a?.evidence;
  const policies = report.permissionsResult ? policiesJson(report.permissionsResult) : undefined;
  const br = inv.blastRadius;
  const rec = inv.recommendation;
  return {
    schemaVersion: INVESTIGATE_SCHEMA_VERSION,
    finding: {
      ...findingSummaryJson(d),
      description: d.description,
      api: d.action.api,
      serviceName: d.action.serviceName,
      userAgent: d.action.userAgent,
      threatNames: [...d.threatIntel.threatNames],
      raw: d.raw,
    },
    access: report.access ? accessJson(report.access) : null,
    dataSource: inv.dataSource ?? null,
    dataSourceAdvice: [...inv.dataSourceAdvice],
    trailSource: report.trail ? { ...sourceToJson(report.trail, scope), limits: trailSourceFacts(report.trail.source, true)?.limits ?? [] } : null,
    principal: {
      kind: pr.kind,
      userType: pr.userType ?? null,
      userName: pr.userName ?? null,
      accessKeyId: pr.accessKeyId ?? null,
      principalId: pr.principalId ?? null,
      roleName: pr.roleName ?? null,
      sessionName: pr.sessionName ?? null,
      temporaryKey: pr.temporaryKey,
      actionable: pr.actionable,
      notActionableReason: pr.notActionableReason ?? null,
      arn: report.permissionsResult?.principal.arn ?? report.trail?.principal.arn ?? null,
    },
    activity: a
      ? {
          window: report.trail ? { start: report.trail.request.window.start.toISOString(), end: report.trail.request.window.end.toISOString() } : null,
          regions: report.trail ? [...report.trail.request.regions] : [],
          lookup: report.trail ? { attribute: report.trail.request.lookup.attribute, value: report.trail.request.lookup.value } : null,
          summary: report.trail ? trailSummaryToJson(report.trail.summary) : null,
          evidence: ev
            ? {
                maliciousIp: ev.malicious ? { ...ev.malicious, userAgents: [...ev.malicious.userAgents] } : null,
                before: ev.before ? { ...ev.before, ips: ev.before.ips.map((p) => ({ ...p, userAgents: [...p.userAgents] })) } : null,
                newUserAgents: [...ev.newUserAgents],
                conclusions: [...ev.findings],
              }
            : null,
          timeline: a.timeline.map((t) => ({ time: t.time, kind: t.kind, text: t.text })),
          events: report.trail ? report.trail.events.map((e) => trailEventToJson(e)) : [],
          derivedCredentials: report.trail ? report.trail.derivedCredentials.map(derivedCredentialToJson) : [],
          truncated: a.truncated,
        }
      : null,
    changes: inv.changes ? inv.changes.changes.map((c) => changeToJson(c, scope)) : null,
    permissions: policies
      ? { principal: policies.principal, policies: policies.policies, analysis: policies.analysis }
      : null,
    usage: inv.usage
      ? {
          used: inv.usage.used.map((u) => ({ action: u.action, count: u.count, first: u.first, last: u.last, granted: u.granted ?? null, needsPermission: u.needsPermission })),
          denied: inv.usage.denied.map((u) => ({ action: u.action, count: u.count, errorCodes: [...u.errorCodes], first: u.first, last: u.last, fromFindingIp: u.fromFindingIp })),
          grantedUnused: inv.usage.grantedUnused ?? null,
        }
      : null,
    accessKeys: inv.accessKeys
      ? inv.accessKeys.map((k) => ({
          accessKeyId: k.accessKeyId,
          status: k.status,
          createdAt: k.createdAt ?? null,
          lastUsed: k.lastUsed ? { date: k.lastUsed.date ?? null, service: k.lastUsed.service ?? null, region: k.lastUsed.region ?? null } : null,
        }))
      : null,
    relatedFindings: report.related ? report.related.map(findingSummaryJson) : null,
    blastRadius: {
      otherCallers: br.otherCallers.map((c) => ({ ip: c.ip, userAgents: [...c.userAgents], count: c.count, first: c.first, last: c.last, activeDuringAttack: c.activeDuringAttack })),
      otherKeys: br.otherKeys.map((k) => ({ accessKeyId: k.accessKeyId, status: k.status, createdAt: k.createdAt ?? null, lastUsed: k.lastUsed?.date ?? null })),
      tags: br.tags.map((t) => ({ key: t.key, value: t.value })),
      impact: [...br.impact],
      automationCaveats: [...br.automationCaveats],
    },
    recommendation: {
      action: rec.action,
      summary: rec.summary,
      commands: rec.commands.map((c) => commandLine(c, scope)),
      watch: rec.watch.map((c) => commandLine(c, scope)),
      manualSteps: [...rec.manualSteps],
      rationale: [...rec.rationale],
      suggestions: [...rec.commands, ...rec.watch].map((c) => suggestionJson(c, scope)),
    },
    warnings: inv.warnings.map((w) => ({ section: w.section, message: w.message })),
  };
}
