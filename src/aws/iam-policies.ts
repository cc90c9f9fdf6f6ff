/**
 * Reads everything that decides what an IAM user or role may do: its attached managed policies (the
 * default version's document), inline policies, each group's managed and inline policies, and the
 * permissions boundary. Every list is read to its last page; independent calls run concurrently with a
 * bound; each managed policy is fetched once even when attached in several places.
 *
 * Partial access is normal for a responder with a narrow role: an AccessDenied on one call becomes a
 * warning naming the missing permission, and only when nothing at all could be read does the run fail.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type * as IamSdk from '@aws-sdk/client-iam';
import type { Context } from '../cli/context.js';
import { NotFoundError, PermissionError } from '../core/errors.js';
import { Semaphore } from '../core/concurrency.js';
import { buildPermissions, type PermissionsResult, type PrincipalType, type RawPermissions, type RawPolicy, type RawPrincipal } from '../core/permissions.js';
import type { PolicyKind, PolicySource } from '../core/policy-eval/index.js';
import { sanitize } from '../core/sanitize.js';
import { awsCall } from './call.js';
import { isNotFound } from './errors.js';

/** Calls in flight against IAM at once: enough to hide latency, low enough to stay clear of throttling. */
const IAM_CONCURRENCY = 8;

type IamModule = typeof IamSdk;

class Reader {
  readonly warnings: string[] = [];
  readonly denied = new Set<string>();
  reads = 0;
  private readonly sem = new Semaphore(IAM_CONCURRENCY);
  private readonly managed = new Map<string, Promise<Omit<RawPolicy, 'source' | 'group'>>>();

  constructor(
    readonly ctx: Context,
    readonly iam: IAMClient,
    readonly sdk: IamModule,
  ) {}

  /** One IAM call under the concurrency bound. */
  send<T>(action: string, fn: () => Promise<T>): Promise<T> {
    return this.sem.run(() => awsCall(action, fn));
  }

  /**
   * Run a read; AccessDenied → warning (what is missing and what it hides) and undefined.
   * NoSuchEntity is returned to the caller to decide (principal missing vs. a policy deleted meanwhile).
   */
  async tolerate<T>(action: string, consequence: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await fn();
      this.reads++;
      return value;
    } catch (err) {
      if (err instanceof PermissionError) {
        const permission = err.permission ?? action;
        this.denied.add(permission);
        this.warnings.push(`access denied for ${permission}: ${consequence}`);
        return undefined;
      }
      throw err;
    }
  }

  /** A managed policy's default version (GetPolicy → GetPolicyVersion), fetched once per ARN. */
  managedPolicy(arn: string, fallbackName: string): Promise<Omit<RawPolicy, 'source' | 'group'>> {
    let p = this.managed.get(arn);
    if (!p) {
      p = this.readManaged(arn, fallbackName);
      this.managed.set(arn, p);
    }
    return p;
  }

  private async readManaged(arn: string, fallbackName: string): Promise<Omit<RawPolicy, 'source' | 'group'>> {
    const kind: PolicyKind = /^arn:[^:]+:iam::aws:policy\//.test(arn) ? 'managed-aws' : 'managed-customer';
    const base = { kind, name: fallbackName, arn };
    const { GetPolicyCommand, GetPolicyVersionCommand } = this.sdk;
    try {
      const policy = await this.tolerate('iam:GetPolicy', `the document of ${fallbackName} is not shown or analysed`, () =>
        this.send('iam:GetPolicy', () => this.iam.send(new GetPolicyCommand({ PolicyArn: arn }), { abortSignal: this.ctx.signal })),
      );
      if (!policy) return { ...base, unreadable: 'access denied (iam:GetPolicy)' };
      const name = policy.Policy?.PolicyName ?? fallbackName;
      const versionId = policy.Policy?.DefaultVersionId;
      if (!versionId) return { ...base, name, unreadable: 'no default version' };
      const version = await this.tolerate('iam:GetPolicyVersion', `the document of ${name} is not shown or analysed`, () =>
        this.send('iam:GetPolicyVersion', () =>
          this.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }), { abortSignal: this.ctx.signal }),
        ),
      );
      if (!version) return { ...base, name, versionId, unreadable: 'access denied (iam:GetPolicyVersion)' };
      const doc = version.PolicyVersion?.Document;
      return { ...base, name, versionId, ...(doc !== undefined ? { rawDocument: doc } : { unreadable: 'empty document' }) };
    } catch (err) {
      if (isNotFound((err as { cause?: unknown }).cause)) {
        this.warnings.push(`managed policy ${arn} no longer exists (deleted during the read?)`);
        return { ...base, unreadable: 'policy not found' };
      }
      throw err;
    }
  }
}

function isoOrUndefined(d: Date | undefined): string | undefined {
  return d ? d.toISOString() : undefined;
}

function notFound(type: PrincipalType, name: string): NotFoundError {
  return new NotFoundError(`IAM ${type} ${sanitize(name)} not found`, {
    remedy: `check the name (IAM names are case-sensitive) and that your credentials are for the right account`,
  });
}

/** Rethrow NoSuchEntity on the principal itself as "not found". */
function principalCall<T>(type: PrincipalType, name: string, p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    if (isNotFound((err as { cause?: unknown }).cause) || isNotFound(err)) throw notFound(type, name);
    throw err;
  });
}

async function inlinePolicies(
  reader: Reader,
  listAction: string,
  getAction: string,
  owner: string,
  list: () => Promise<string[]>,
  get: (name: string) => Promise<string | undefined>,
  source: PolicySource,
  group?: string,
): Promise<RawPolicy[]> {
  const names = await reader.tolerate(listAction, `inline policies of ${owner} are not shown or analysed`, list);
  if (!names) return [];
  return Promise.all(
    [...names].sort().map(async (name): Promise<RawPolicy> => {
      const base: RawPolicy = { source, ...(group !== undefined ? { group } : {}), kind: 'inline', name };
      try {
        const doc = await reader.tolerate(getAction, `the inline policy ${name} of ${owner} is not shown or analysed`, () => get(name));
        return doc === undefined ? { ...base, unreadable: `access denied (${getAction})` } : { ...base, rawDocument: doc };
      } catch (err) {
        if (isNotFound((err as { cause?: unknown }).cause)) return { ...base, unreadable: 'policy not found' };
        throw err;
      }
    }),
  );
}

async function attachedPolicies(
  reader: Reader,
  listAction: string,
  owner: string,
  list: () => Promise<Array<{ name: string; arn: string }>>,
  source: PolicySource,
  group?: string,
): Promise<RawPolicy[]> {
  const attached = await reader.tolerate(listAction, `managed policies attached to ${owner} are not shown or analysed`, list);
  if (!attached) return [];
  return Promise.all(
    attached.map(async (a) => ({ source, ...(group !== undefined ? { group } : {}), ...(await reader.managedPolicy(a.arn, a.name)) })),
  );
}

function attachedList(page: { AttachedPolicies?: Array<{ PolicyName?: string; PolicyArn?: string }> }): Array<{ name: string; arn: string }> {
  return (page.AttachedPolicies ?? [])
    .filter((p): p is { PolicyName?: string; PolicyArn: string } => typeof p.PolicyArn === 'string')
    .map((p) => ({ name: p.PolicyName ?? p.PolicyArn, arn: p.PolicyArn }));
}

async function collectPages<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[]): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...pick(page));
  return out;
}

async function readUser(reader: Reader, userName: string): Promise<RawPermissions> {
  const { iam, sdk, ctx } = reader;
  const opts = { abortSignal: ctx.signal };
  const who = `user ${userName}`;

  const userP = principalCall(
    'user',
    userName,
    reader.tolerate('iam:GetUser', 'the user’s ARN, tags and permissions boundary are unknown (a boundary, if any, is not applied)', () =>
      reader.send('iam:GetUser', () => iam.send(new sdk.GetUserCommand({ UserName: userName }), opts)),
    ),
  );
  const directManagedP = principalCall(
    'user',
    userName,
    attachedPolicies(
      reader,
      'iam:ListAttachedUserPolicies',
      who,
      () =>
        reader.send('iam:ListAttachedUserPolicies', () =>
          collectPages(sdk.paginateListAttachedUserPolicies({ client: iam }, { UserName: userName }, opts), attachedList),
        ),
      'direct',
    ),
  );
  const directInlineP = principalCall(
    'user',
    userName,
    inlinePolicies(
      reader,
      'iam:ListUserPolicies',
      'iam:GetUserPolicy',
      who,
      () => reader.send('iam:ListUserPolicies', () => collectPages(sdk.paginateListUserPolicies({ client: iam }, { UserName: userName }, opts), (p) => p.PolicyNames ?? [])),
      async (name) =>
        (await reader.send('iam:GetUserPolicy', () => iam.send(new sdk.GetUserPolicyCommand({ UserName: userName, PolicyName: name }), opts))).PolicyDocument,
      'direct',
    ),
  );
  const groupsP = principalCall(
    'user',
    userName,
    reader.tolerate('iam:ListGroupsForUser', 'the user’s groups and the policies they inherit are not shown or analysed', () =>
      reader.send('iam:ListGroupsForUser', () =>
        collectPages(sdk.paginateListGroupsForUser({ client: iam }, { UserName: userName }, opts), (p) => (p.Groups ?? []).map((g) => g.GroupName ?? '')),
      ),
    ),
  );
  const groupPoliciesP = groupsP.then((groups) =>
    Promise.all(
      (groups ?? [])
        .filter((g) => g !== '')
        .map(async (groupName) => {
          const owner = `group ${groupName}`;
          const [managed, inline] = await Promise.all([
            attachedPolicies(
              reader,
              'iam:ListAttachedGroupPolicies',
              owner,
              () =>
                reader.send('iam:ListAttachedGroupPolicies', () =>
                  collectPages(sdk.paginateListAttachedGroupPolicies({ client: iam }, { GroupName: groupName }, opts), attachedList),
                ),
              'group',
              groupName,
            ),
            inlinePolicies(
              reader,
              'iam:ListGroupPolicies',
              'iam:GetGroupPolicy',
              owner,
              () =>
                reader.send('iam:ListGroupPolicies', () =>
                  collectPages(sdk.paginateListGroupPolicies({ client: iam }, { GroupName: groupName }, opts), (p) => p.PolicyNames ?? []),
                ),
              async (name) =>
                (await reader.send('iam:GetGroupPolicy', () => iam.send(new sdk.GetGroupPolicyCommand({ GroupName: groupName, PolicyName: name }), opts)))
                  .PolicyDocument,
              'group',
              groupName,
            ),
          ]);
          return [...managed, ...inline];
        }),
    ),
  );
  const boundaryP = userP.then(async (out) => {
    const arn = out?.User?.PermissionsBoundary?.PermissionsBoundaryArn;
    if (!arn) return undefined;
    const p = await reader.managedPolicy(arn, arn.slice(arn.lastIndexOf('/') + 1));
    return { source: 'boundary' as const, ...p };
  });

  const [userOut, directManaged, directInline, groupPolicies, boundary] = await Promise.all([userP, directManagedP, directInlineP, groupPoliciesP, boundaryP]);
  const u = userOut?.User;
  const principal: RawPrincipal = {
    type: 'user',
    name: u?.UserName ?? userName,
    ...(u?.Arn ? { arn: u.Arn } : {}),
    ...(u?.UserId ? { id: u.UserId } : {}),
    ...(u?.Path ? { path: u.Path } : {}),
    ...(u?.CreateDate ? { created: isoOrUndefined(u.CreateDate) } : {}),
    ...(u?.PasswordLastUsed ? { passwordLastUsed: isoOrUndefined(u.PasswordLastUsed) } : {}),
    tags: (u?.Tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    ...(u?.PermissionsBoundary?.PermissionsBoundaryArn ? { boundaryArn: u.PermissionsBoundary.PermissionsBoundaryArn } : {}),
  };
  return {
    principal,
    policies: [...directManaged, ...directInline, ...groupPolicies.flat()],
    ...(boundary ? { boundary } : {}),
    warnings: reader.warnings,
  };
}

async function readRole(reader: Reader, roleName: string): Promise<RawPermissions> {
  const { iam, sdk, ctx } = reader;
  const opts = { abortSignal: ctx.signal };
  const who = `role ${roleName}`;
  const roleP = principalCall(
    'role',
    roleName,
    reader.tolerate('iam:GetRole', 'the role’s ARN, trust policy and permissions boundary are unknown (a boundary, if any, is not applied)', () =>
      reader.send('iam:GetRole', () => iam.send(new sdk.GetRoleCommand({ RoleName: roleName }), opts)),
    ),
  );
  const managedP = principalCall(
    'role',
    roleName,
    attachedPolicies(
      reader,
      'iam:ListAttachedRolePolicies',
      who,
      () =>
        reader.send('iam:ListAttachedRolePolicies', () =>
          collectPages(sdk.paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }, opts), attachedList),
        ),
      'direct',
    ),
  );
  const inlineP = principalCall(
    'role',
    roleName,
    inlinePolicies(
      reader,
      'iam:ListRolePolicies',
      'iam:GetRolePolicy',
      who,
      () => reader.send('iam:ListRolePolicies', () => collectPages(sdk.paginateListRolePolicies({ client: iam }, { RoleName: roleName }, opts), (p) => p.PolicyNames ?? [])),
      async (name) =>
        (await reader.send('iam:GetRolePolicy', () => iam.send(new sdk.GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }), opts))).PolicyDocument,
      'direct',
    ),
  );
  const boundaryP = roleP.then(async (out) => {
    const arn = out?.Role?.PermissionsBoundary?.PermissionsBoundaryArn;
    if (!arn) return undefined;
    return { source: 'boundary' as const, ...(await reader.managedPolicy(arn, arn.slice(arn.lastIndexOf('/') + 1))) };
  });
  const [roleOut, managed, inline, boundary] = await Promise.all([roleP, managedP, inlineP, boundaryP]);
  const r = roleOut?.Role;
  const lastUsed = r?.RoleLastUsed?.LastUsedDate || r?.RoleLastUsed?.Region
    ? { ...(r.RoleLastUsed.LastUsedDate ? { date: r.RoleLastUsed.LastUsedDate.toISOString() } : {}), ...(r.RoleLastUsed.Region ? { region: r.RoleLastUsed.Region } : {}) }
    : undefined;
  const principal: RawPrincipal = {
    type: 'role',
    name: r?.RoleName ?? roleName,
    ...(r?.Arn ? { arn: r.Arn } : {}),
    ...(r?.RoleId ? { id: r.RoleId } : {}),
    ...(r?.Path ? { path: r.Path } : {}),
    ...(r?.CreateDate ? { created: isoOrUndefined(r.CreateDate) } : {}),
    tags: (r?.Tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    ...(r?.PermissionsBoundary?.PermissionsBoundaryArn ? { boundaryArn: r.PermissionsBoundary.PermissionsBoundaryArn } : {}),
    ...(r?.Description ? { description: r.Description } : {}),
    ...(r?.MaxSessionDuration ? { maxSessionDuration: r.MaxSessionDuration } : {}),
    ...(lastUsed ? { lastUsed } : {}),
    ...(r?.AssumeRolePolicyDocument !== undefined ? { trustPolicyRaw: r.AssumeRolePolicyDocument } : {}),
  };
  return { principal, policies: [...managed, ...inline], ...(boundary ? { boundary } : {}), warnings: reader.warnings };
}

/**
 * Everything `gd-ir policies` shows for a user or role: gathering, decoding, analysis, and warnings
 * for whatever could not be read. Throws NotFoundError (exit 1) for an unknown principal and
 * PermissionError (exit 4) when not a single call was allowed.
 */
export async function collectPermissions(ctx: Context, principal: { type: PrincipalType; name: string }): Promise<PermissionsResult> {
  const sdk = await import('@aws-sdk/client-iam');
  const iam = await ctx.aws.iam();
  const reader = new Reader(ctx, iam, sdk);
  const raw = principal.type === 'user' ? await readUser(reader, principal.name) : await readRole(reader, principal.name);
  if (reader.reads === 0) {
    const missing = [...reader.denied].sort();
    throw new PermissionError(`access denied: could not read anything about IAM ${principal.type} ${sanitize(principal.name)}`, missing[0], {
      remedy: `grant ${missing.join(', ')} to your identity (README 'Permissions' lists what gd-ir needs)`,
    });
  }
  return buildPermissions(raw);
}
