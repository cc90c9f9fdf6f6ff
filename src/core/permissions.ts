/**
 * The permissions model of `gd-ir policies` (and of investigate's "used vs granted"): who the principal
 * is, every policy that applies to it with its decoded document, and the analysis. Pure: the gateway
 * (src/aws/iam-policies.ts) supplies the raw IAM data.
 */
import { analyzePolicies, type AnalyzablePolicy, type PolicyAnalysis, type PolicyKind, type PolicySource } from './policy-eval/index.js';
import { readPolicyDocument, type PolicyStatement } from './policy-document.js';

export type PrincipalType = 'user' | 'role';

/** A policy as read from IAM, document still URL-encoded. */
export interface RawPolicy {
  source: PolicySource;
  group?: string;
  kind: PolicyKind;
  name: string;
  arn?: string;
  versionId?: string;
  rawDocument?: string;
  /** Why the document could not be read (access denied, deleted meanwhile). */
  unreadable?: string;
}

export interface Tag {
  key: string;
  value: string;
}

export interface RawPrincipal {
  type: PrincipalType;
  name: string;
  arn?: string;
  id?: string;
  path?: string;
  created?: string;
  tags: Tag[];
  boundaryArn?: string;
  /** Users: when the console password was last used. */
  passwordLastUsed?: string;
  /** Roles. */
  description?: string;
  maxSessionDuration?: number;
  lastUsed?: { date?: string; region?: string };
  trustPolicyRaw?: string;
}

export interface RawPermissions {
  principal: RawPrincipal;
  /** Identity policies in display order (direct managed, direct inline, then per group). */
  policies: RawPolicy[];
  boundary?: RawPolicy;
  warnings: string[];
}

export interface PolicyEntry {
  source: PolicySource;
  group?: string;
  kind: PolicyKind;
  name: string;
  arn?: string;
  versionId?: string;
  /** The decoded document (JSON value), when it was read and was JSON. */
  document?: unknown;
  /** Why the document is missing or unusable (not read, not JSON, malformed statements). */
  parseError?: string;
  statements: PolicyStatement[];
}

export interface PrincipalModel extends Omit<RawPrincipal, 'trustPolicyRaw'> {
  boundaryName?: string;
  trustPolicy?: { document?: unknown; parseError?: string };
}

export interface PermissionsResult {
  principal: PrincipalModel;
  /** Every policy, the boundary last (source 'boundary'). */
  policies: PolicyEntry[];
  analysis: PolicyAnalysis;
  warnings: string[];
}

function toEntry(raw: RawPolicy): PolicyEntry {
  const base = {
    source: raw.source,
    ...(raw.group !== undefined ? { group: raw.group } : {}),
    kind: raw.kind,
    name: raw.name,
    ...(raw.arn !== undefined ? { arn: raw.arn } : {}),
    ...(raw.versionId !== undefined ? { versionId: raw.versionId } : {}),
  };
  if (raw.rawDocument === undefined) return { ...base, parseError: raw.unreadable ?? 'document not read', statements: [] };
  const read = readPolicyDocument(raw.rawDocument);
  return {
    ...base,
    ...(read.json !== undefined ? { document: read.json } : {}),
    ...(read.parseError !== undefined ? { parseError: read.parseError } : {}),
    statements: read.statements,
  };
}

function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function label(p: PolicyEntry): string {
  return p.source === 'group' ? `${p.name} (group ${p.group ?? '?'})` : p.name;
}

/** Decode every document, analyse, and collect warnings about anything that could not be used. */
export async function buildPermissions(raw: RawPermissions): Promise<PermissionsResult> {
  const warnings = [...raw.warnings];
  const identity = raw.policies.map(toEntry);
  const boundary = raw.boundary ? toEntry(raw.boundary) : undefined;
  const pairs: Array<[RawPolicy, PolicyEntry]> = raw.policies.map((r, i) => [r, identity[i] as PolicyEntry]);
  if (raw.boundary && boundary) pairs.push([raw.boundary, boundary]);
  for (const [r, p] of pairs) {
    // Unread documents were already explained by the gateway; here only what was read but not understood.
    if (r.rawDocument === undefined || p.parseError === undefined) continue;
    const what = p.statements.length > 0 ? 'the statements in error are not analysed' : 'it is not analysed';
    warnings.push(`policy ${label(p)} is malformed (${p.parseError}); ${what}`);
  }
  const toAnalyzable = (p: PolicyEntry): AnalyzablePolicy => ({
    ref: { name: p.name, source: p.source, kind: p.kind, ...(p.arn ? { arn: p.arn } : {}), ...(p.group ? { group: p.group } : {}) },
    statements: p.statements,
  });
  // A boundary whose document could not be read cannot be applied; say so rather than guess.
  const boundaryUsable = boundary !== undefined && boundary.document !== undefined;
  if (boundary && !boundaryUsable) {
    warnings.push(`the permissions boundary ${boundary.name} could not be read; the analysis does not apply it and may overstate permissions`);
  }
  const analysis = await analyzePolicies(identity.map(toAnalyzable), boundaryUsable && boundary ? toAnalyzable(boundary) : undefined, {
    principalArn: raw.principal.arn,
  });
  const { trustPolicyRaw, ...rest } = raw.principal;
  const principal: PrincipalModel = { ...rest, ...(rest.boundaryArn ? { boundaryName: policyName(rest.boundaryArn) } : {}) };
  if (trustPolicyRaw !== undefined) {
    const read = readPolicyDocument(trustPolicyRaw);
    principal.trustPolicy = { ...(read.json !== undefined ? { document: read.json } : {}), ...(read.parseError ? { parseError: read.parseError } : {}) };
  }
  return { principal, policies: boundary ? [...identity, boundary] : identity, analysis, warnings };
}
