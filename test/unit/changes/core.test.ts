/**
 * The changes sweep's pure core on published records (test/fixtures/real/cloudtrail): which events are successful
 * writes, what each touched, how it is undone, what a read-back means, and trust-policy surgery.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assembleChanges,
  changeCategory,
  changeFromEvent,
  createdKeys,
  foreignPrincipals,
  isSuccessfulWrite,
  judgeChanges,
  probeKey,
  probesFor,
  readsFor,
  sameDocument,
  withoutPrincipals,
  type Change,
  type ProbeResult,
} from '../../../src/core/changes/index.js';
import { commandLine } from '../../../src/core/suggestion.js';
import { parseLookupEvent, type TrailEvent } from '../../../src/core/trail/index.js';

function record(file: string): Record<string, unknown> {
  const d = JSON.parse(readFileSync(new URL(`../../fixtures/real/cloudtrail/${file}.json`, import.meta.url), 'utf8')) as unknown;
  if (Array.isArray(d)) return d[0] as Record<string, unknown>;
  const o = d as Record<string, unknown>;
  return Array.isArray(o.Records) ? (o.Records[0] as Record<string, unknown>) : o;
}

function ev(rec: Record<string, unknown>, overrides: Record<string, unknown> = {}): TrailEvent {
  const r = { ...rec, ...overrides };
  return parseLookupEvent({ EventId: String(r.eventID ?? 'id'), CloudTrailEvent: JSON.stringify(r) }, String(r.awsRegion ?? 'us-east-1'));
}

const actor = { kind: 'principal' as const, hop: 0, accessKeyId: 'AKIAEXAMPLE000000001' };
const change = (file: string, overrides: Record<string, unknown> = {}): Change => changeFromEvent(ev(record(file), overrides), actor, { accountId: '111122223333' });

describe('successful writes', () => {
  it('writes without an error count; reads, failures and failed console sign-ins do not', () => {
    expect(isSuccessfulWrite(ev(record('stratus-createuser')))).toBe(true);
    expect(isSuccessfulWrite(ev(record('stratus-deleteloginprofile-error')))).toBe(false);
    expect(isSuccessfulWrite(ev(record('stratus-getsecretvalue')))).toBe(false);
    // GetSessionToken and AssumeRole are read-only in real records: followed as credentials, not changes.
    expect(isSuccessfulWrite(ev(record('stratus-assumerole-credentials')))).toBe(false);
    // A failed sign-in has no errorCode, only responseElements.ConsoleLogin "Failure" and an errorMessage.
    expect(isSuccessfulWrite(ev(record('docs-consolelogin-iamuser-failure')))).toBe(false);
    expect(isSuccessfulWrite(ev(record('docs-consolelogin-iamuser-success-log-file')))).toBe(true);
    // The 2014 CreateUser example has "readOnly": null: its IAM access level (Write) decides.
    const old = ev(record('docs-createuser-log-file'));
    expect(old.readOnly).toBeUndefined();
    expect(isSuccessfulWrite(old)).toBe(false);
    expect(isSuccessfulWrite({ ...old, accessLevel: 'Write' })).toBe(true);
  });

  it('categories from the table, Lambda names with their API version, unknown writes as other', () => {
    expect(changeCategory('iam.amazonaws.com', 'CreateLoginProfile')).toBe('persistence');
    expect(changeCategory('iam.amazonaws.com', 'AttachUserPolicy')).toBe('privilege-escalation');
    expect(changeCategory('cloudtrail.amazonaws.com', 'StopLogging')).toBe('defense-evasion');
    expect(changeCategory('lambda.amazonaws.com', 'AddPermission20150331v2')).toBe('exposure');
    expect(changeCategory('lambda.amazonaws.com', 'CreateFunction20150331')).toBe('persistence');
    expect(changeCategory('ec2.amazonaws.com', 'RunInstances')).toBe('compute');
    expect(changeCategory('guardduty.amazonaws.com', 'DeleteDetector')).toBe('defense-evasion');
    expect(changeCategory('s3.amazonaws.com', 'DeleteBucket')).toBe('destruction');
    expect(changeCategory('iam.amazonaws.com', 'constructor')).toBe('other');
    expect(changeCategory('constructor', 'toString')).toBe('other');
    expect(changeCategory('dynamodb.amazonaws.com', 'PutItem')).toBe('other');
  });
});

describe('what each published write touched', () => {
  it('IAM: users, keys, login profiles, attachments, inline policies, trust, roles', () => {
    expect(change('stratus-createuser')).toMatchObject({
      category: 'persistence', target: { kind: 'user', userName: 'malicious-iam-user' },
      resource: { type: 'AWS::IAM::User', id: 'malicious-iam-user', arn: 'arn:aws:iam::229654561268:user/malicious-iam-user' },
      undo: { reversible: false },
    });
    const key = change('stratus-createaccesskey-backdoor-user');
    expect(key).toMatchObject({ target: { kind: 'accessKey', userName: 'stratus-red-team-backdoor-u-user', accessKeyId: 'AKIAL80DWDVKKM0UXEER' }, resource: { type: 'AWS::IAM::AccessKey', id: 'AKIAL80DWDVKKM0UXEER' } });
    expect(key.undo.suggestion && commandLine(key.undo.suggestion)).toBe('aws iam update-access-key --user-name stratus-red-team-backdoor-u-user --access-key-id AKIAL80DWDVKKM0UXEER --status Inactive');
    expect(change('stratus-createloginprofile')).toMatchObject({ target: { kind: 'loginProfile', how: 'created', userName: 'stratus-red-team-login-profile-user' }, undo: { reversible: false } });
    expect(change('stratus-updateloginprofile').target).toEqual({ kind: 'loginProfile', how: 'updated', userName: 'stratus-red-team-update-login-profile-user' });
    const attach = change('stratus-attachuserpolicy');
    expect(attach.target).toEqual({ kind: 'managedAttachment', holder: 'user', name: 'malicious-iam-user', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', detached: false });
    expect(attach.undo.suggestion && commandLine(attach.undo.suggestion)).toBe('aws iam detach-user-policy --user-name malicious-iam-user --policy-arn arn:aws:iam::aws:policy/AdministratorAccess');
    expect(change('stratus-attachrolepolicy').target).toMatchObject({ holder: 'role', name: 'stratus-red-team-malicious-iam-role' });
    expect(change('panther-putuserpolicy-denyall').target).toMatchObject({ kind: 'inlinePolicy', holder: 'user', name: 'test-user', policyName: 'TestUserDenyAll', deleted: false });
    expect(change('stratus-updateassumerolepolicy').target).toMatchObject({ kind: 'roleTrust', roleName: 'stratus-red-team-backdoor-r-role' });
    expect(change('stratus-createrole')).toMatchObject({ target: { kind: 'role', roleName: 'stratus-red-team-malicious-iam-role' }, resource: { type: 'AWS::IAM::Role' } });
    // The console-made MFA device has requestParameters null: reported, not read.
    expect(change('panther-createvirtualmfadevice')).toMatchObject({ target: { kind: 'mfaDevice' }, state: { status: 'unknown', read: false } });
  });

  it('CloudTrail trails and other services from the record, with a command to check them by hand', () => {
    const stop = change('stratus-stoplogging');
    expect(stop).toMatchObject({ category: 'defense-evasion', target: { kind: 'trailLogging', trail: 'stratus-red-team-ct-stop-trail-buykxbqejv' }, resource: { type: 'AWS::CloudTrail::Trail' } });
    // Regional commands name their region when it is not the run's.
    const west = { defaultRegion: 'us-west-2' };
    expect(stop.undo.suggestion && commandLine(stop.undo.suggestion, west)).toBe('aws cloudtrail start-logging --name stratus-red-team-ct-stop-trail-buykxbqejv --region apiso-centralnorth-2r');
    expect(change('stratus-deletetrail').target.kind).toBe('trailDeleted');
    expect(change('stratus-puteventselectors')).toMatchObject({ target: { kind: 'recorded' }, state: { status: 'unknown', read: false } });
    const fn = change('elastic-createfunction20150331');
    expect(fn).toMatchObject({ service: 'lambda', target: { kind: 'recorded' }, resource: { type: 'AWS::Lambda::Function', id: 'cloudtrail-events-test', arn: 'arn:aws:lambda:us-east-1:1010101010101:function:cloudtrail-events-test' } });
    expect(fn.state.detail).toMatch(/not read: gd-ir does not read lambda state/);
    expect(fn.check && commandLine(fn.check, west)).toBe('aws lambda get-function --function-name cloudtrail-events-test --region us-east-1');
    const perm = change('stratus-addpermission20150331v2');
    expect(perm.category).toBe('exposure');
    expect(perm.undo.suggestion && commandLine(perm.undo.suggestion, west)).toMatch(/^aws lambda remove-permission --function-name stratus-red-team-backdoor-f-func --statement-id backdoor --region /);
    expect(change('elastic-deletedetector').resource).toEqual({ type: 'AWS::GuardDuty', id: '82c919daa523bc69d203c24868c06849' });
  });

  it('never builds a command from a value that is not safe to paste', () => {
    const hostile = change('stratus-createaccesskey-backdoor-user', { requestParameters: { userName: 'x; rm -rf ~' } });
    expect(hostile.undo.suggestion).toBeUndefined();
    expect(hostile.check).toBeUndefined();
  });
});

describe('following and assembling', () => {
  it('created keys are followed from the CreateAccessKey response; a failed create is not', () => {
    const ok = ev(record('stratus-createaccesskey'));
    const failed = ev(record('stratus-createaccesskey'), { errorCode: 'LimitExceededException', eventID: 'x' });
    expect(createdKeys([ok, failed])).toEqual([{ accessKeyId: 'AKIAXAFZN8JEPF6L682H', userName: 'malicious-iam-user', createdAt: ok.time, by: ok.accessKeyId }]);
  });

  it('each event once, newest first; the actor of a session event is its session key', () => {
    const a = ev(record('stratus-createuser'));
    const b = ev(record('stratus-attachuserpolicy'));
    const list = assembleChanges([
      { actor, events: [a, b] },
      { actor: { kind: 'session', hop: 0 }, events: [b] },
    ]);
    expect(list.map((c) => c.eventName)).toEqual(b.timeMs >= a.timeMs ? ['AttachUserPolicy', 'CreateUser'] : ['CreateUser', 'AttachUserPolicy']);
    expect(list.every((c) => c.actor.kind === 'principal')).toBe(true);
  });
});

describe('reading back', () => {
  const c = (file: string): Change => change(file);
  const answer = (changes: Change[], byOp: Record<string, ProbeResult>): Change[] => {
    const results = new Map<string, ProbeResult>();
    for (const p of readsFor(changes)) {
      const r = byOp[p.op];
      if (r) results.set(probeKey(p), r);
    }
    return judgeChanges(changes, results, '111122223333');
  };
  const ok = (value: unknown): ProbeResult => ({ ok: true, value });
  const none: ProbeResult = { ok: false, notFound: true, error: 'does not exist' };

  it('a created key: Active → present, Inactive → changed, absent → gone, unreadable → unknown', () => {
    const k = [c('stratus-createaccesskey')];
    expect(answer(k, { listAccessKeys: ok([{ accessKeyId: 'AKIAXAFZN8JEPF6L682H', status: 'Active' }]) })[0]?.state).toMatchObject({ status: 'present', read: true });
    expect(answer(k, { listAccessKeys: ok([{ accessKeyId: 'AKIAXAFZN8JEPF6L682H', status: 'Inactive' }]) })[0]?.state.status).toBe('changed');
    expect(answer(k, { listAccessKeys: ok([]) })[0]?.state.status).toBe('gone');
    expect(answer(k, { listAccessKeys: { ok: false, notFound: false, error: 'access denied for iam:ListAccessKeys' } })[0]?.state).toEqual({ status: 'unknown', detail: 'could not be read: access denied for iam:ListAccessKeys', read: false });
  });

  it('a created user is present while it has a way in, changed once inert, gone once deleted', () => {
    const u = [c('stratus-createuser')];
    expect(probesFor(u[0] as Change).map((p) => p.op)).toEqual(['getUser', 'listAccessKeys', 'getLoginProfile', 'listAttachedPolicies', 'listInlinePolicies', 'listGroupsForUser']);
    const inert = { getUser: ok(true), listAccessKeys: ok([{ accessKeyId: 'AKIAXAFZN8JEPF6L682H', status: 'Inactive' }]), getLoginProfile: none, listAttachedPolicies: ok([]), listInlinePolicies: ok([]), listGroupsForUser: ok([]) };
    expect(answer(u, inert)[0]?.state.status).toBe('changed');
    expect(answer(u, { ...inert, listAttachedPolicies: ok(['arn:aws:iam::aws:policy/AdministratorAccess']) })[0]?.state.detail).toBe('user malicious-iam-user exists with AdministratorAccess attached');
    expect(answer(u, { getUser: none })[0]?.state.status).toBe('gone');
  });

  it('trust: present while the outside account is trusted; policy versions; trails', () => {
    const trust = [c('stratus-updateassumerolepolicy')];
    const doc = (trust[0]?.target as { document: string }).document;
    expect(answer(trust, { getRoleTrust: ok(doc) })[0]?.state).toMatchObject({ status: 'present', detail: 'role stratus-red-team-backdoor-r-role still trusts arn:aws:iam::193672423079:root' });
    const cleaned = withoutPrincipals(doc, foreignPrincipals(doc, '111122223333')) as string;
    expect(answer(trust, { getRoleTrust: ok(cleaned) })[0]?.state.status).toBe('gone');
    const stop = [c('stratus-stoplogging')];
    expect(answer(stop, { getTrailStatus: ok({ isLogging: false }) })[0]?.state.status).toBe('present');
    expect(answer(stop, { getTrailStatus: ok({ isLogging: true }) })[0]?.state.status).toBe('gone');
    expect(answer([c('stratus-deletetrail')], { getTrail: none })[0]?.state.status).toBe('present');
  });
});

describe('trust policies', () => {
  const trust = (statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  it('finds principals outside the account and removes only those, statement by statement', () => {
    const doc = trust([
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:user/ci', 'arn:aws:iam::777788889999:root'] }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
    ]);
    const outside = foreignPrincipals(doc, '111122223333');
    expect(outside).toEqual([{ type: 'AWS', value: 'arn:aws:iam::777788889999:root' }, { type: '*', value: '*' }]);
    const cleaned = withoutPrincipals(doc, outside);
    expect(JSON.parse(cleaned ?? '{}')).toEqual(JSON.parse(trust([
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:user/ci'] }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ])));
    expect(withoutPrincipals(trust([{ Effect: 'Allow', Principal: { AWS: '777788889999' }, Action: 'sts:AssumeRole' }]), [{ type: 'AWS', value: '777788889999' }])).toBeUndefined();
    expect(sameDocument('{"a":1,"b":[1,2]}', '{ "b": [1, 2], "a": 1 }')).toBe(true);
  });
});
