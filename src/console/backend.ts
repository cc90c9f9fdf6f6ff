/**
 * The I/O the console needs, behind one interface so every screen is tested with a fake; the real
 * backend is the same gateways and flows the subcommands use, never a second implementation.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { Context } from '../cli/context.js';
import type { FindingSummary } from '../core/finding/index.js';
import type { InvestigationReport } from '../core/investigation/index.js';
import type { PermissionsResult } from '../core/permissions.js';
import type { AccountAccess } from '../core/access.js';
import type { ContainResult } from '../core/containment/index.js';
import type { RemediationRequest, RemediationResult } from '../core/remediation/index.js';

export interface TriageBackend {
  identity(): Promise<{ account: string; arn: string }>;
  /** The region's detector, or undefined when GuardDuty is not enabled there. */
  detectorId(region: string): Promise<string | undefined>;
  listFindings(region: string, detectorId: string, includeArchived: boolean): Promise<FindingSummary[]>;
  investigate(finding: FindingSummary, where: { region: string; detectorId: string }, onStatus: (text: string) => void): Promise<InvestigationReport>;
  /** IAM of `account` (the finding's; a member account's is read through its read role). */
  permissions(principal: { type: 'user' | 'role'; name: string }, account?: string): Promise<PermissionsResult>;
  /** How gd-ir reaches (or would reach) an account for reads or changes; nothing is assumed. */
  access?(account: string, purpose: 'read' | 'write'): Promise<AccountAccess>;
  /** The remediate flow: display, guards, typed confirmation, write, verification, audit. */
  remediate(request: RemediationRequest): Promise<RemediationResult & { failure?: unknown }>;
  /** The contain flow for the whole incident: plan, step choice (checkbox), typed confirmation, verified and audited steps. */
  contain(findingId: string, where: { region: string; detectorId: string }): Promise<ContainResult>;
  archive(region: string, detectorId: string, findingId: string): Promise<void>;
  fileExists(path: string): boolean;
  writeFile(path: string, text: string): void;
}

/** The real backend: the same gateway functions and flows the subcommands use, loaded when first needed. */
export function createBackend(ctx: Context): TriageBackend {
  return {
    identity: () => ctx.aws.callerIdentity(ctx.signal),
    detectorId: async (region) => {
      const { listDetectorIds } = await import('../aws/guardduty.js');
      return (await listDetectorIds(ctx, region))[0];
    },
    listFindings: async (region, detectorId, includeArchived) => {
      const { listFindings, unreadableWarning } = await import('../aws/guardduty.js');
      const { toFindingSummary } = await import('../core/finding/index.js');
      const criterion: Record<string, { Equals: string[] }> = includeArchived ? {} : { 'service.archived': { Equals: ['false'] } };
      const res = await listFindings(ctx, { region, detectorId, criteria: { Criterion: criterion }, limit: 500 });
      if (res.truncated) ctx.io.warn('showing the first 500 findings; use gd-ir findings list to filter the rest');
      for (const u of res.unreadable) ctx.io.warn(unreadableWarning(u, region));
      return res.findings.map(toFindingSummary);
    },
    investigate: async (finding, where, onStatus) => {
      const { runInvestigation } = await import('../flows/investigation/gather.js');
      // The trail is read where `gd-ir investigate` would read it without --logs: the configuration file's [logs]
      // source, else event history.
      const { chooseTrailSource } = await import('../flows/trail-source.js');
      const { logs, source } = chooseTrailSource(ctx, { cache: true });
      return runInvestigation(ctx, finding.id, { region: where.region, detectorId: where.detectorId, onStatus, logs, source });
    },
    permissions: async (principal, account) => {
      const { collectPermissions } = await import('../aws/iam-policies.js');
      const { accountContext } = await import('../access/index.js');
      return collectPermissions((await accountContext(ctx, account, 'read')).ctx, principal);
    },
    access: async (account, purpose) => {
      const { plannedAccess } = await import('../access/index.js');
      return plannedAccess(ctx, account, purpose);
    },
    remediate: async (request) => {
      const { runRemediation } = await import('../flows/remediation/run.js');
      return runRemediation(ctx, request);
    },
    contain: async (findingId, where) => {
      const { runContainment } = await import('../flows/containment/run.js');
      return runContainment(ctx, { findingId, detectorId: where.detectorId, quarantine: false, force: false }, { dryRun: false, yes: false });
    },
    archive: async (region, detectorId, id) => {
      const { archiveFindings } = await import('../aws/guardduty.js');
      await archiveFindings(ctx, region, detectorId, [id]);
    },
    fileExists: (path) => existsSync(path),
    writeFile: (path, text) => writeFileSync(path, text, { mode: 0o600 }),
  };
}
