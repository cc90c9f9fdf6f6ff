/**
 * The StackSet template of `gd-ir setup roles`, checked as CloudFormation would check its structure (cfn-lint is not
 * available offline): the template sections, parameter types, every intrinsic function's target, and the
 * AWS::IAM::Role properties against the resource's provider schema (aws-cloudformation resource schema of
 * AWS::IAM::Role: additionalProperties false; AssumeRolePolicyDocument required; MaxSessionDuration an integer
 * 3600–43200; Policies items {PolicyName, PolicyDocument} both required; Tags items {Key, Value} both required).
 * Then the policies themselves: what the sandbox's `org` roles hold, and what gd-ir needs.
 */
import { describe, expect, it } from 'vitest';
import { analystPolicy, READ_ROLE_ACTIONS, rolesTemplate, WRITE_ROLE_ACTIONS } from '../../../src/core/setup/roles-template.js';
import { buildScenario } from '../../../src/sandbox/scenarios/index.js';
import { irTrustPolicy } from '../../../src/sandbox/scenarios/org.js';
import { ORG } from '../../../src/sandbox/scenarios/org-facts.js';

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === 'object' && v !== null && !Array.isArray(v);

const TOP_LEVEL = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs']);
const PARAMETER_TYPES = new Set(['String', 'Number', 'List<Number>', 'CommaDelimitedList']);
const PARAMETER_KEYS = new Set(['Type', 'Default', 'AllowedPattern', 'AllowedValues', 'ConstraintDescription', 'Description', 'MaxLength', 'MaxValue', 'MinLength', 'MinValue', 'NoEcho']);
const PSEUDO = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);

/** AWS::IAM::Role, from its resource provider schema: property → required, and a check of the value. */
const IAM_ROLE: Record<string, { required: boolean; check: (v: unknown) => boolean }> = {
  AssumeRolePolicyDocument: { required: true, check: (v) => isObj(v) || typeof v === 'string' },
  Description: { required: false, check: (v) => typeof v === 'string' && v.length <= 1000 },
  ManagedPolicyArns: { required: false, check: Array.isArray },
  MaxSessionDuration: { required: false, check: (v) => isObj(v) || (Number.isInteger(v) && (v as number) >= 3600 && (v as number) <= 43200) },
  Path: { required: false, check: (v) => typeof v === 'string' },
  PermissionsBoundary: { required: false, check: (v) => typeof v === 'string' },
  Policies: {
    required: false,
    check: (v) => Array.isArray(v) && v.every((p) => isObj(p) && Object.keys(p).every((k) => k === 'PolicyName' || k === 'PolicyDocument') && 'PolicyName' in p && 'PolicyDocument' in p),
  },
  RoleName: { required: false, check: (v) => typeof v === 'string' || isObj(v) },
  Tags: { required: false, check: (v) => Array.isArray(v) && v.every((t) => isObj(t) && Object.keys(t).sort().join() === 'Key,Value') },
};
const GETATT: Record<string, readonly string[]> = { 'AWS::IAM::Role': ['Arn', 'RoleId'] };

/** Every intrinsic function in the tree, checked against what the template defines. */
function checkIntrinsics(node: unknown, t: J, where: string, problems: string[]): void {
  const params = Object.keys((t.Parameters ?? {}) as J);
  const resources = (t.Resources ?? {}) as Record<string, { Type: string }>;
  const conditions = Object.keys((t.Conditions ?? {}) as J);
  const names = new Set([...params, ...Object.keys(resources)]);
  if (Array.isArray(node)) {
    node.forEach((n, i) => checkIntrinsics(n, t, `${where}[${i}]`, problems));
    return;
  }
  if (!isObj(node)) return;
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const [fn] = keys as [string];
    const arg = node[fn];
    if (fn === 'Ref' && !(typeof arg === 'string' && (names.has(arg) || PSEUDO.has(arg)))) problems.push(`${where}: Ref to unknown ${String(arg)}`);
    if (fn === 'Fn::Sub') {
      for (const m of String(arg).matchAll(/\$\{([^}]+)\}/g)) if (!names.has(m[1] ?? '') && !PSEUDO.has(m[1] ?? '')) problems.push(`${where}: Fn::Sub of unknown ${m[1]}`);
    }
    if (fn === 'Fn::If' && !(Array.isArray(arg) && arg.length === 3 && conditions.includes(String(arg[0])))) problems.push(`${where}: Fn::If needs [condition, then, else]`);
    if (fn === 'Fn::GetAtt') {
      const [res, attr] = arg as [string, string];
      if (!resources[res] || !(GETATT[resources[res].Type] ?? []).includes(attr)) problems.push(`${where}: Fn::GetAtt ${res}.${attr}`);
    }
    if (fn === 'Fn::Equals' && !(Array.isArray(arg) && arg.length === 2)) problems.push(`${where}: Fn::Equals needs two values`);
    if (fn === 'Fn::Not' && !(Array.isArray(arg) && arg.length === 1)) problems.push(`${where}: Fn::Not needs one condition`);
  }
  for (const k of keys) checkIntrinsics(node[k], t, `${where}.${k}`, problems);
}

/** The template as CloudFormation would resolve it for one set of parameters (enough for these functions). */
function resolve(node: unknown, params: Record<string, string>, conditions: Record<string, boolean>): unknown {
  if (Array.isArray(node)) return node.map((n) => resolve(n, params, conditions));
  if (!isObj(node)) return node;
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const [fn] = keys as [string];
    const arg = node[fn];
    if (fn === 'Ref') return params[String(arg)];
    if (fn === 'Fn::Sub') return String(arg).replace(/\$\{([^}]+)\}/g, (_m, n: string) => params[n] ?? '');
    if (fn === 'Fn::If') {
      const [c, a, b] = arg as [string, unknown, unknown];
      return resolve(conditions[c] ? a : b, params, conditions);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, resolve(node[k], params, conditions)]));
}

describe('gd-ir setup roles: the StackSet template', () => {
  const t = rolesTemplate({ securityAccountId: '111122223333' });

  it('has only template sections, typed parameters with valid defaults, and resolvable intrinsics', () => {
    expect(Object.keys(t).every((k) => TOP_LEVEL.has(k))).toBe(true);
    expect(t.AWSTemplateFormatVersion).toBe('2010-09-09');
    for (const [name, p] of Object.entries(t.Parameters as Record<string, J>)) {
      expect(PARAMETER_TYPES.has(String(p.Type)), name).toBe(true);
      expect(Object.keys(p).every((k) => PARAMETER_KEYS.has(k)), name).toBe(true);
      if (p.AllowedPattern !== undefined && p.Default !== undefined) expect(new RegExp(String(p.AllowedPattern)).test(String(p.Default)), name).toBe(true);
    }
    const problems: string[] = [];
    checkIntrinsics(t.Resources, t, 'Resources', problems);
    checkIntrinsics(t.Outputs, t, 'Outputs', problems);
    checkIntrinsics(t.Conditions, t, 'Conditions', problems);
    expect(problems).toEqual([]);
  });

  it('declares two AWS::IAM::Role resources whose properties match the resource schema', () => {
    const resources = t.Resources as Record<string, { Type: string; Properties: J }>;
    expect(Object.values(resources).map((r) => r.Type)).toEqual(['AWS::IAM::Role', 'AWS::IAM::Role']);
    for (const [name, r] of Object.entries(resources)) {
      for (const [prop, spec] of Object.entries(IAM_ROLE)) if (spec.required) expect(r.Properties[prop], `${name}.${prop}`).toBeDefined();
      for (const [prop, value] of Object.entries(r.Properties)) {
        expect(IAM_ROLE[prop], `${name}.${prop} is an AWS::IAM::Role property`).toBeDefined();
        expect(IAM_ROLE[prop]?.check(value), `${name}.${prop}`).toBe(true);
      }
    }
  });

  it('resolves, without an ExternalId, to the trust policies of the sandbox org roles', () => {
    const r = resolve(t.Resources, { SecurityAccountId: '111122223333', ReadRoleName: 'gd-ir-read', WriteRoleName: 'gd-ir-write', ExternalId: '', 'AWS::Partition': 'aws', 'AWS::AccountId': ORG.prod.accountId }, { HasExternalId: false }) as Record<string, { Properties: J }>;
    const strip = (doc: unknown): unknown => JSON.parse(JSON.stringify(doc, (k, v: unknown) => (k === 'Sid' ? undefined : v)));
    expect(strip(r.ReadRole?.Properties.AssumeRolePolicyDocument)).toEqual(strip(JSON.parse(irTrustPolicy({ mfa: false }))));
    expect(strip(r.WriteRole?.Properties.AssumeRolePolicyDocument)).toEqual(strip(JSON.parse(irTrustPolicy({ mfa: true }))));
    const withId = resolve(t.Resources, { SecurityAccountId: '111122223333', ExternalId: ORG.data.externalId, 'AWS::Partition': 'aws' }, { HasExternalId: true }) as Record<string, { Properties: J }>;
    expect(strip(withId.ReadRole?.Properties.AssumeRolePolicyDocument)).toEqual(strip(JSON.parse(irTrustPolicy({ mfa: false, externalId: ORG.data.externalId }))));
    // The sandbox's roles carry the same permissions.
    const world = buildScenario('org', { now: new Date('2026-01-01T00:00:00Z') });
    const prod = world.members?.[ORG.prod.accountId];
    const policyOf = (role: { Properties: J } | undefined): unknown => strip((role?.Properties.Policies as Array<{ PolicyDocument: unknown }>)[0]?.PolicyDocument);
    expect(policyOf(r.ReadRole)).toEqual(strip(JSON.parse(prod?.iam.roles[ORG.readRoleName]?.inlinePolicies[ORG.readRoleName] ?? '{}')));
    expect(policyOf(r.WriteRole)).toEqual(strip(JSON.parse(prod?.iam.roles[ORG.writeRoleName]?.inlinePolicies[ORG.writeRoleName] ?? '{}')));
  });

  it('grants the read role only reads and the write role only the containment writes', () => {
    expect([...READ_ROLE_ACTIONS.cloudtrail, ...READ_ROLE_ACTIONS.iam].every((a) => /^(cloudtrail:(LookupEvents|GetTrailStatus|GetTrail)|iam:(Get|List)\w+)$/.test(a))).toBe(true);
    // What remediate and contain write (src/aws/iam-writes.ts, iam-containment.ts, cloudtrail-trails.ts), without
    // the inverse actions only some `contain --undo` steps need (attach, put back, stop logging).
    expect(Object.values(WRITE_ROLE_ACTIONS).flat().sort()).toEqual([
      'cloudtrail:StartLogging',
      'iam:AttachUserPolicy',
      'iam:DeleteGroupPolicy',
      'iam:DeleteLoginProfile',
      'iam:DeleteRolePolicy',
      'iam:DeleteUserPolicy',
      'iam:DetachGroupPolicy',
      'iam:DetachRolePolicy',
      'iam:DetachUserPolicy',
      'iam:PutRolePolicy',
      'iam:PutUserPolicy',
      'iam:SetDefaultPolicyVersion',
      'iam:UpdateAccessKey',
      'iam:UpdateAssumeRolePolicy',
    ]);
    // Attaching is only for AWS's quarantine policies.
    const write = (t.Resources as Record<string, { Properties: J }>).WriteRole?.Properties.Policies as Array<{ PolicyDocument: { Statement: J[] } }>;
    const attach = write[0]?.PolicyDocument.Statement.filter((st) => (st.Action as string[]).some((a) => a.includes('Attach')));
    expect(attach).toEqual([expect.objectContaining({ Condition: { ArnLike: { 'iam:PolicyARN': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AWSCompromisedKeyQuarantine*' } } } })]);
    expect(analystPolicy('IR-Read', 'IR-Write').Statement).toEqual([
      { Sid: 'AssumeGdIrRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Resource: ['arn:aws:iam::*:role/IR-Read', 'arn:aws:iam::*:role/IR-Write'] },
    ]);
  });

  it('takes the names, the account and the ExternalId as parameter defaults', () => {
    const p = rolesTemplate({ readRoleName: 'IR-Read', writeRoleName: 'IR-Write', externalId: 'x-123456' }).Parameters as Record<string, J>;
    expect([p.ReadRoleName?.Default, p.WriteRoleName?.Default, p.ExternalId?.Default, p.SecurityAccountId?.Default]).toEqual(['IR-Read', 'IR-Write', 'x-123456', undefined]);
  });
});
