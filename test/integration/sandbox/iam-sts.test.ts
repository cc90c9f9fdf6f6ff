import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeleteUserPolicyCommand,
  GetAccessKeyLastUsedCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMServiceException,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  paginateListAccessKeys,
  paginateListUserTags,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { SANDBOX_CREDENTIALS, startSandbox } from '../../../src/sandbox/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import type { Clients } from './helpers.js';
import { caught, clients, destroy } from './helpers.js';

const ACCT = WORKSHOP.accountId;
const decode = (doc: string | undefined): { Statement: Array<Record<string, unknown>> } => JSON.parse(decodeURIComponent(doc ?? '')) as { Statement: Array<Record<string, unknown>> };

describe('IAM and STS on the workshop scenario', () => {
  let sb: RunningSandbox;
  let c: Clients;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0 });
    c = clients(sb);
  });
  afterAll(async () => {
    destroy(c);
    await sb.close();
  });

  it('GetUser defaults to the caller and reports NoSuchEntity (404) for unknown users', async () => {
    const me = await c.iam.send(new GetUserCommand({}));
    expect(me.User?.UserName).toBe(WORKSHOP.analyst.userName);
    expect(me.User?.Arn).toBe(`arn:aws:iam::${ACCT}:user/ir-analyst`);
    expect(me.User?.CreateDate).toBeInstanceOf(Date);
    const alice = await c.iam.send(new GetUserCommand({ UserName: WORKSHOP.developer.userName }));
    expect(alice.User?.PermissionsBoundary?.PermissionsBoundaryArn).toContain(WORKSHOP.developer.boundaryPolicyName);
    const err = await caught(() => c.iam.send(new GetUserCommand({ UserName: 'nobody' })));
    expect(err).toBeInstanceOf(NoSuchEntityException);
    expect(err.message).toBe('The user with name nobody cannot be found.');
    expect(err.$metadata?.httpStatusCode).toBe(404);
  });

  it('STS GetCallerIdentity answers for users and sessions', async () => {
    const me = await c.sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: ACCT, Arn: `arn:aws:iam::${ACCT}:user/ir-analyst`, UserId: WORKSHOP.analyst.userId });
    const role = clients(sb, { credentials: { accessKeyId: WORKSHOP.role.sessionKeyId, secretAccessKey: 'x', sessionToken: 'token' } });
    const r = await role.sts.send(new GetCallerIdentityCommand({}));
    expect(r.Arn).toMatch(new RegExp(`^arn:aws:sts::${ACCT}:assumed-role/${WORKSHOP.role.roleName}/`));
    expect(r.UserId).toMatch(/^AROA.*:/);
    // a role session has no user: GetUser without UserName is a validation error
    const err = await caught(() => role.iam.send(new GetUserCommand({})));
    expect(err.name).toBe('ValidationError');
    destroy(role);
  });

  it('lists access keys with exact Marker paging', async () => {
    const first = await c.iam.send(new ListAccessKeysCommand({ UserName: WORKSHOP.developer.userName, MaxItems: 1 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeTruthy();
    const keys: string[] = [];
    for await (const page of paginateListAccessKeys({ client: c.iam, pageSize: 1 }, { UserName: WORKSHOP.developer.userName })) {
      keys.push(...(page.AccessKeyMetadata ?? []).map((k) => `${k.AccessKeyId}:${k.Status}`));
    }
    expect(keys).toHaveLength(2);
    expect(keys).toContain(`${WORKSHOP.developer.accessKeyId}:Active`);
    const last = await c.iam.send(new ListAccessKeysCommand({ UserName: WORKSHOP.developer.userName, MaxItems: 1, Marker: first.Marker }));
    expect(last.IsTruncated).toBe(false);
    expect(last.Marker).toBeUndefined();
    const mine = await c.iam.send(new ListAccessKeysCommand({}));
    expect(mine.AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([WORKSHOP.analyst.accessKeyId]);
    const bad = await caught(() => c.iam.send(new ListAccessKeysCommand({ MaxItems: 0 })));
    expect(bad.name).toBe('ValidationError');
    // session keys are not listed
    const comp = await c.iam.send(new ListAccessKeysCommand({ UserName: WORKSHOP.compromised.userName }));
    expect(comp.AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([WORKSHOP.compromised.accessKeyId]);
  });

  it('GetAccessKeyLastUsed: known key, unknown key → NoSuchEntity', async () => {
    const r = await c.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: WORKSHOP.compromised.accessKeyId }));
    expect(r.UserName).toBe(WORKSHOP.compromised.userName);
    expect(r.AccessKeyLastUsed?.LastUsedDate).toBeInstanceOf(Date);
    expect(r.AccessKeyLastUsed?.ServiceName).toBeTruthy();
    const err = await caught(() => c.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIAUNKNOWN000000000' })));
    expect(err).toBeInstanceOf(NoSuchEntityException);
  });

  it('reads user, group, role and managed policies with URL-encoded documents', async () => {
    const u = WORKSHOP.compromised.userName;
    expect((await c.iam.send(new ListUserPoliciesCommand({ UserName: u }))).PolicyNames).toEqual([WORKSHOP.compromised.inlinePolicyName]);
    expect((await c.iam.send(new ListAttachedUserPoliciesCommand({ UserName: u }))).AttachedPolicies).toEqual([]);
    expect((await c.iam.send(new ListGroupsForUserCommand({ UserName: u }))).Groups).toEqual([]);
    const pol = await c.iam.send(new GetUserPolicyCommand({ UserName: u, PolicyName: WORKSHOP.compromised.inlinePolicyName }));
    expect(pol.PolicyDocument).toMatch(/^%7B/);
    expect(JSON.stringify(decode(pol.PolicyDocument).Statement)).toContain('ssm:GetParameters');
    const tags = await c.iam.send(new ListUserTagsCommand({ UserName: u }));
    expect((tags.Tags ?? []).length).toBeGreaterThan(0);

    const alice = WORKSHOP.developer.userName;
    const attached = await c.iam.send(new ListAttachedUserPoliciesCommand({ UserName: alice }));
    expect(attached.AttachedPolicies?.length).toBeGreaterThan(0);
    const groups = await c.iam.send(new ListGroupsForUserCommand({ UserName: alice }));
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual([WORKSHOP.developer.groupName]);
    const gName = WORKSHOP.developer.groupName;
    const gAttached = await c.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: gName }));
    expect(Array.isArray(gAttached.AttachedPolicies)).toBe(true);
    const gPols = await c.iam.send(new ListGroupPoliciesCommand({ GroupName: gName }));
    expect(gPols.PolicyNames?.length).toBeGreaterThan(0);
    const gPol = await c.iam.send(new GetGroupPolicyCommand({ GroupName: gName, PolicyName: gPols.PolicyNames?.[0] }));
    expect(decode(gPol.PolicyDocument).Statement.length).toBeGreaterThan(0);
    expect(await caught(() => c.iam.send(new ListGroupPoliciesCommand({ GroupName: 'nogroup' })))).toBeInstanceOf(NoSuchEntityException);

    const boundaryArn = `arn:aws:iam::${ACCT}:policy/${WORKSHOP.developer.boundaryPolicyName}`;
    const p = await c.iam.send(new GetPolicyCommand({ PolicyArn: boundaryArn }));
    expect(p.Policy?.DefaultVersionId).toMatch(/^v\d+/);
    const v = await c.iam.send(new GetPolicyVersionCommand({ PolicyArn: boundaryArn, VersionId: p.Policy?.DefaultVersionId }));
    expect(v.PolicyVersion?.IsDefaultVersion).toBe(true);
    expect(decode(v.PolicyVersion?.Document).Statement.length).toBeGreaterThan(0);
    expect(await caught(() => c.iam.send(new GetPolicyVersionCommand({ PolicyArn: boundaryArn, VersionId: 'v99' })))).toBeInstanceOf(NoSuchEntityException);
    expect(await caught(() => c.iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCT}:policy/Nope` })))).toBeInstanceOf(NoSuchEntityException);
  });

  it('reads roles (RoleLastUsed, trust policy URL-encoded) and their policies', async () => {
    const name = WORKSHOP.role.roleName;
    const r = await c.iam.send(new GetRoleCommand({ RoleName: name }));
    expect(r.Role?.Arn).toBe(`arn:aws:iam::${ACCT}:role/${name}`);
    expect(r.Role?.RoleLastUsed?.LastUsedDate).toBeInstanceOf(Date);
    expect(JSON.stringify(decode(r.Role?.AssumeRolePolicyDocument))).toContain('sts:AssumeRole');
    const attached = await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toContain('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    const inline = await c.iam.send(new ListRolePoliciesCommand({ RoleName: name }));
    const doc = await c.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: inline.PolicyNames?.[0] }));
    expect(decode(doc.PolicyDocument).Statement.length).toBeGreaterThan(0);
    const err = await caught(() => c.iam.send(new GetRoleCommand({ RoleName: 'no-role' })));
    expect(err).toBeInstanceOf(NoSuchEntityException);
    expect(err.message).toBe('The role with name no-role cannot be found.');
  });

  it('pages ListUserTags exactly', async () => {
    const u = WORKSHOP.developer.userName;
    const full = (await c.iam.send(new ListUserTagsCommand({ UserName: u }))).Tags ?? [];
    const paged: string[] = [];
    for await (const page of paginateListUserTags({ client: c.iam, pageSize: 1 }, { UserName: u })) paged.push(...(page.Tags ?? []).map((t) => t.Key ?? ''));
    expect(paged).toEqual(full.map((t) => t.Key));
    expect([...paged].sort()).toEqual(paged);
  });
});

describe('containment: keys, inline policies and session revocation', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  it('deactivating a key makes its requests fail with 403 InvalidClientTokenId / UnrecognizedClientException', async () => {
    const analyst = clients(sb);
    const attacker = clients(sb, { credentials: { accessKeyId: WORKSHOP.compromised.accessKeyId, secretAccessKey: WORKSHOP.compromised.secretAccessKey } });
    expect((await attacker.sts.send(new GetCallerIdentityCommand({}))).Arn).toContain(WORKSHOP.compromised.userName);

    const bad = await caught(() => analyst.iam.send(new UpdateAccessKeyCommand({ UserName: WORKSHOP.compromised.userName, AccessKeyId: WORKSHOP.compromised.accessKeyId, Status: 'Disabled' as 'Active' })));
    expect(bad.name).toBe('ValidationError');
    const unknown = await caught(() => analyst.iam.send(new UpdateAccessKeyCommand({ UserName: WORKSHOP.compromised.userName, AccessKeyId: 'AKIAUNKNOWN000000000', Status: 'Inactive' })));
    expect(unknown).toBeInstanceOf(NoSuchEntityException);
    expect(unknown.$metadata?.httpStatusCode).toBe(404);
    // without UserName, IAM uses the caller's user: someone else's key is not found
    const implicit = await caught(() => analyst.iam.send(new UpdateAccessKeyCommand({ AccessKeyId: WORKSHOP.compromised.accessKeyId, Status: 'Inactive' })));
    expect(implicit).toBeInstanceOf(NoSuchEntityException);

    await analyst.iam.send(new UpdateAccessKeyCommand({ UserName: WORKSHOP.compromised.userName, AccessKeyId: WORKSHOP.compromised.accessKeyId, Status: 'Inactive' }));
    const keys = await analyst.iam.send(new ListAccessKeysCommand({ UserName: WORKSHOP.compromised.userName }));
    expect(keys.AccessKeyMetadata?.[0]?.Status).toBe('Inactive');

    const e1 = await caught(() => attacker.iam.send(new GetUserCommand({})));
    expect(e1.name).toBe('InvalidClientTokenId');
    expect(e1.message).toBe('The security token included in the request is invalid.');
    expect(e1.$metadata?.httpStatusCode).toBe(403);
    const e2 = await caught(() => attacker.gd.send(new ListDetectorsCommand({})));
    expect(e2.name).toBe('UnrecognizedClientException');
    const e3 = await caught(() => attacker.ct.send(new LookupEventsCommand({})));
    expect(e3.name).toBe('UnrecognizedClientException');
    const e4 = await caught(() => attacker.sts.send(new GetCallerIdentityCommand({})));
    expect(e4.name).toBe('InvalidClientTokenId');
    destroy(analyst);
    destroy(attacker);
  });

  it('sessions survive key deactivation until a TokenIssueTime deny revokes them', async () => {
    const analyst = clients(sb);
    const session = clients(sb, { credentials: { accessKeyId: WORKSHOP.compromised.derivedSessionKeyId, secretAccessKey: 'x', sessionToken: 't' } });
    expect((await session.iam.send(new GetUserCommand({}))).User?.UserName).toBe(WORKSHOP.compromised.userName);

    const bad = await caught(() => analyst.iam.send(new PutUserPolicyCommand({ UserName: WORKSHOP.compromised.userName, PolicyName: 'x', PolicyDocument: '{not json' })));
    expect(bad).toBeInstanceOf(MalformedPolicyDocumentException);

    const revoke = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': new Date().toISOString() } } }],
    });
    await analyst.iam.send(new PutUserPolicyCommand({ UserName: WORKSHOP.compromised.userName, PolicyName: 'gd-ir-revoke-sessions', PolicyDocument: revoke }));
    const got = await analyst.iam.send(new GetUserPolicyCommand({ UserName: WORKSHOP.compromised.userName, PolicyName: 'gd-ir-revoke-sessions' }));
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument ?? ''))).toEqual(JSON.parse(revoke));

    const denied = await caught(() => session.iam.send(new GetUserCommand({})));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    expect(denied.message).toMatch(/explicit deny/);
    expect(await caught(() => session.gd.send(new ListDetectorsCommand({})))).toHaveProperty('name', 'AccessDeniedException');
    // GetCallerIdentity is answered even under an explicit deny
    expect((await session.sts.send(new GetCallerIdentityCommand({}))).Arn).toContain(WORKSHOP.compromised.userName);

    await analyst.iam.send(new DeleteUserPolicyCommand({ UserName: WORKSHOP.compromised.userName, PolicyName: 'gd-ir-revoke-sessions' }));
    expect((await session.iam.send(new GetUserCommand({}))).User?.UserName).toBe(WORKSHOP.compromised.userName);
    expect(await caught(() => analyst.iam.send(new DeleteUserPolicyCommand({ UserName: WORKSHOP.compromised.userName, PolicyName: 'gd-ir-revoke-sessions' })))).toBeInstanceOf(
      NoSuchEntityException,
    );
    destroy(analyst);
    destroy(session);
  });
});

describe('raw protocol edges', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });
  const auth = (service: string, key = SANDBOX_CREDENTIALS.accessKeyId): string =>
    `AWS4-HMAC-SHA256 Credential=${key}/20260101/us-west-2/${service}/aws4_request, SignedHeaders=host, Signature=00`;

  it('unknown keys get 403 InvalidClientTokenId; missing auth gets MissingAuthenticationToken', async () => {
    const c = clients(sb, { credentials: { accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'x' } });
    const err = await caught(() => c.iam.send(new GetUserCommand({})));
    expect(err).toBeInstanceOf(IAMServiceException);
    expect(err.name).toBe('InvalidClientTokenId');
    destroy(c);
    const r = await fetch(`${sb.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetUser&Version=2010-05-08' });
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(r.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(r.headers.get('date')).toBeTruthy();
    const g = await fetch(`${sb.endpoint}/detector`);
    expect(g.status).toBe(403);
    expect(g.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  it('unknown IAM action → 400 InvalidAction; malformed bodies → 400 in the service shape; unknown paths → 404 JSON', async () => {
    const r = await fetch(`${sb.endpoint}/`, { method: 'POST', headers: { authorization: auth('iam'), 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=CreateGroup&Version=2010-05-08' });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('<Code>InvalidAction</Code>');
    const ct = await fetch(`${sb.endpoint}/`, {
      method: 'POST',
      headers: { authorization: auth('cloudtrail'), 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CloudTrail_20131101.LookupEvents' },
      body: '{oops',
    });
    expect(ct.status).toBe(400);
    expect(((await ct.json()) as { __type: string }).__type).toBe('SerializationException');
    const gd = await fetch(`${sb.endpoint}/detector/${WORKSHOP.detectors['us-west-2']}/findings`, { method: 'POST', headers: { authorization: auth('guardduty'), 'content-type': 'application/json' }, body: '[1,' });
    expect(gd.status).toBe(400);
    expect(gd.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    // As GuardDuty answers (boto/boto3#3890): the header names the modelled error, the body an internal type.
    expect(await gd.json()).toEqual({ message: expect.stringMatching(/^The request is rejected because/) as unknown as string, __type: 'InvalidInputException' });
    const nf = await fetch(`${sb.endpoint}/nothing/here`, { method: 'GET', headers: { authorization: auth('guardduty') } });
    expect(nf.status).toBe(404);
    expect(nf.headers.get('content-type')).toContain('application/json');
    const head = await fetch(`${sb.endpoint}/`, { method: 'HEAD' });
    expect(head.status).toBe(404);
    const big = await fetch(`${sb.endpoint}/`, { method: 'POST', headers: { authorization: auth('iam'), 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetUser&X=' + 'a'.repeat(1024 * 1024 + 10) });
    expect(big.status).toBe(413);
    // the server is still alive
    const ok = await fetch(`${sb.endpoint}/`, { method: 'POST', headers: { authorization: auth('sts'), 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/xml');
    expect(await ok.text()).toContain('<GetCallerIdentityResult>');
  });

  it('routes without a credential scope by the reference fallbacks', async () => {
    // presigned-style query credential
    const r = await fetch(`${sb.endpoint}/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Credential=${encodeURIComponent(`${SANDBOX_CREDENTIALS.accessKeyId}/20260101/us-west-2/sts/aws4_request`)}`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain(WORKSHOP.analyst.userId);
  });
});
