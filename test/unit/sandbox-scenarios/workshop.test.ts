import { describe, expect, it } from 'vitest';
import type { CloudTrailRecord, GuardDutyFinding } from '../../../src/sandbox/model.js';
import { buildScenario } from '../../../src/sandbox/scenarios/index.js';
import { WORKSHOP_TIMELINE, cronRunStarts } from '../../../src/sandbox/scenarios/workshop.js';
import { WORKSHOP as F } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { ISO_MS, ISO_S, NOW, allEvents, byKey } from './helpers.js';

const w = buildScenario('workshop', { now: NOW });
const now = NOW.getTime();
const west = w.regions['us-west-2'];
const east = w.regions['us-east-1'];
const findings: GuardDutyFinding[] = Object.values(w.regions).flatMap((r) => r.findings);
const byId = (id: string): GuardDutyFinding => {
  const f = findings.find((x) => x.id === id);
  if (!f) throw new Error(`no finding ${id}`);
  return f;
};
type Rec = Record<string, unknown>;
const obj = (v: unknown): Rec => v as Rec;
const ESC = '\u001b';
const hostile = (s: unknown): boolean =>
  typeof s === 'string' && s.includes(`${ESC}[`) && s.includes(`${ESC}]8;;`) && s.includes('\r') && s.includes('\b') && s.includes('\u202e');
const t = (e: CloudTrailRecord): number => Date.parse(e.eventTime);

describe('workshop: shape', () => {
  it('has the account, both detectors and nothing else', () => {
    expect(w.scenario).toBe('workshop');
    expect(w.accountId).toBe(F.accountId);
    // us-east-2 holds dev-alice's console sign-ins only (where CloudTrail records them), no detector.
    expect(Object.keys(w.regions).sort()).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
    const signInRegion = w.regions[F.developer.signInRegion];
    expect(signInRegion?.detector).toBeUndefined();
    expect(signInRegion?.findings).toEqual([]);
    expect(new Set(signInRegion?.events.map((e) => `${e.eventSource} ${e.eventName}`))).toEqual(new Set(['signin.amazonaws.com ConsoleLogin']));
    expect(west?.detector?.detectorId).toBe(F.detectors['us-west-2']);
    expect(east?.detector?.detectorId).toBe(F.detectors['us-east-1']);
    expect(west?.detector?.status).toBe('ENABLED');
  });

  it('has 12–16 findings in us-west-2 and a couple in us-east-1', () => {
    expect(west?.findings.length).toBeGreaterThanOrEqual(12);
    expect(west?.findings.length).toBeLessThanOrEqual(16);
    expect(east?.findings.length).toBeGreaterThanOrEqual(2);
  });

  it('findings are GuardDuty wire JSON', () => {
    const ids = new Set<string>();
    for (const [region, data] of Object.entries(w.regions)) {
      for (const f of data.findings) {
        expect(f.id).toMatch(/^[0-9a-f]{32}$/);
        ids.add(f.id);
        expect(f.region).toBe(region);
        expect(f.accountId).toBe(F.accountId);
        expect(f.arn).toBe(`arn:aws:guardduty:${region}:${F.accountId}:detector/${F.detectors[region]}/finding/${f.id}`);
        expect(f.schemaVersion).toBe('2.0');
        expect(f.partition).toBe('aws');
        expect(typeof f.title).toBe('string');
        expect(typeof f.description).toBe('string');
        expect(typeof f.confidence).toBe('number');
        expect(f.severity).toBeGreaterThanOrEqual(1);
        expect(f.severity).toBeLessThan(10);
        for (const k of ['createdAt', 'updatedAt'] as const) {
          expect(f[k]).toMatch(ISO_MS);
          expect(Date.parse(f[k])).toBeLessThanOrEqual(now);
        }
        const s = f.service;
        expect(s.serviceName).toBe('guardduty');
        expect(s.detectorId).toBe(F.detectors[region]);
        expect(s.eventFirstSeen).toMatch(ISO_MS);
        expect(s.eventLastSeen).toMatch(ISO_MS);
        expect(Date.parse(s.eventFirstSeen as string)).toBeLessThanOrEqual(Date.parse(s.eventLastSeen as string));
        expect(Date.parse(s.eventLastSeen as string)).toBeLessThanOrEqual(Date.parse(f.updatedAt));
        expect(Date.parse(f.createdAt)).toBeLessThanOrEqual(Date.parse(f.updatedAt));
        expect(typeof s.archived).toBe('boolean');
        expect(Number.isInteger(s.count)).toBe(true);
        expect(['TARGET', 'ACTOR']).toContain(s.resourceRole);
        const info = obj(s.additionalInfo);
        expect(info.type).toBe('default');
        expect(() => JSON.parse(info.value as string)).not.toThrow();
        expect(typeof obj(s.action).actionType).toBe('string');
      }
    }
    expect(ids.size).toBe(findings.length);
  });

  it('has 2–3 archived findings and spans resource types and severity bands', () => {
    const archived = findings.filter((f) => f.service.archived);
    expect(archived.length).toBeGreaterThanOrEqual(2);
    expect(archived.length).toBeLessThanOrEqual(3);
    const types = new Set(findings.map((f) => f.resource.resourceType));
    for (const rt of ['AccessKey', 'Instance', 'S3Bucket', 'EKSCluster']) expect(types).toContain(rt);
    expect(findings.some((f) => f.severity >= 7)).toBe(true);
    expect(findings.some((f) => f.severity < 4)).toBe(true);
  });
});

describe('workshop: the two Custom findings match the attacker cron', () => {
  const runs = cronRunStarts(NOW);
  const attacker = allEvents(w).filter((e) => e.sourceIPAddress === F.threatListIp && e.userIdentity.accessKeyId === F.compromised.accessKeyId);

  it('the cron runs every minute for the last ~40 minutes, stopping before now', () => {
    expect(runs.length).toBe(WORKSHOP_TIMELINE.cronRuns);
    for (let i = 1; i < runs.length; i++) expect((runs[i] as number) - (runs[i - 1] as number)).toBe(60_000);
    expect(now - (runs[0] as number)).toBeGreaterThanOrEqual(40 * 60_000);
    expect(now - (runs.at(-1) as number)).toBeGreaterThanOrEqual(2 * 60_000);
    expect(now - (runs.at(-1) as number)).toBeLessThan(3 * 60_000);
  });

  for (const [id, type, api] of [
    [F.findings.unauthorizedAccessCustom, 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom', 'GetParameters'],
    [F.findings.reconCustom, 'Recon:IAMUser/MaliciousIPCaller.Custom', 'DescribeParameters'],
  ] as const) {
    it(`${type}`, () => {
      const f = byId(id);
      expect(f.region).toBe('us-west-2');
      expect(f.type).toBe(type);
      expect(f.severity).toBe(5);
      expect(f.service.archived).toBe(false);
      expect(f.resource).toEqual({
        resourceType: 'AccessKey',
        accessKeyDetails: { accessKeyId: F.compromised.accessKeyId, principalId: F.compromised.userId, userName: F.compromised.userName, userType: 'IAMUser' },
      });
      const action = obj(f.service.action);
      expect(action.actionType).toBe('AWS_API_CALL');
      const call = obj(action.awsApiCallAction);
      expect(call.api).toBe(api);
      expect(call.serviceName).toBe('ssm.amazonaws.com');
      expect(call.callerType).toBe('Remote IP');
      expect(call.userAgent).toBe(F.attackerUserAgent);
      expect(call.errorCode).toBeUndefined();
      const ip = obj(call.remoteIpDetails);
      expect(ip.ipAddressV4).toBe(F.threatListIp);
      expect(typeof obj(ip.organization).asn).toBe('string');
      expect(obj(ip.country).countryCode).toBeTruthy();
      expect(typeof obj(ip.geoLocation).lat).toBe('number');
      expect(obj(f.service.evidence)).toEqual({ threatIntelligenceDetails: [{ threatListName: F.threatListName, threatNames: [] }] });
      expect(JSON.parse(obj(f.service.additionalInfo).value as string)).toEqual({ threatListName: F.threatListName });

      const matching = attacker.filter((e) => e.eventName === api).sort((a, b) => t(a) - t(b));
      expect(f.service.count).toBe(runs.length);
      expect(matching.length).toBe(runs.length);
      expect(Date.parse(f.service.eventFirstSeen as string)).toBe(t(matching[0] as CloudTrailRecord));
      expect(Date.parse(f.service.eventLastSeen as string)).toBe(t(matching.at(-1) as CloudTrailRecord));
      for (const e of matching) {
        expect(e.awsRegion).toBe('us-west-2');
        expect(e.eventSource).toBe('ssm.amazonaws.com');
        expect(e.errorCode).toBeUndefined();
        expect(e.userAgent).toBe(F.attackerUserAgent);
      }
    });
  }

  it('each run makes the seven calls in order, with the right regions and error codes', () => {
    const expected: Array<[string, string, string, string | undefined]> = [
      ['GetUser', 'iam.amazonaws.com', 'us-east-1', 'AccessDenied'],
      ['CreateUser', 'iam.amazonaws.com', 'us-east-1', 'AccessDenied'],
      ['ListTables', 'dynamodb.amazonaws.com', 'us-west-2', 'AccessDeniedException'],
      ['ListBuckets', 's3.amazonaws.com', 'us-west-2', 'AccessDenied'],
      ['DescribeParameters', 'ssm.amazonaws.com', 'us-west-2', undefined],
      ['GetParameters', 'ssm.amazonaws.com', 'us-west-2', undefined],
      ['ListObjects', 's3.amazonaws.com', 'us-west-2', 'AccessDenied'],
    ];
    for (const run of runs) {
      const inRun = attacker.filter((e) => t(e) >= run && t(e) < run + 15_000).sort((a, b) => t(a) - t(b));
      expect(inRun.map((e) => [e.eventName, e.eventSource, e.awsRegion, e.errorCode])).toEqual(expected);
      expect(t(inRun.at(-1) as CloudTrailRecord) - t(inRun[0] as CloudTrailRecord)).toBeLessThan(10_000);
      const create = inRun[1] as CloudTrailRecord;
      expect(typeof obj(create.requestParameters).userName).toBe('string');
      const gp = inRun[5] as CloudTrailRecord;
      expect(obj(gp.requestParameters).withDecryption).toBe(true);
      expect(Array.isArray(obj(gp.requestParameters).names)).toBe(true);
    }
  });

  it('every event is in the region its awsRegion says', () => {
    for (const [region, data] of Object.entries(w.regions)) for (const e of data.events) expect(e.awsRegion).toBe(region);
  });
});

describe('workshop: CloudTrail records', () => {
  const events = allEvents(w);

  it('are full CloudTrail records, never in the future', () => {
    const ids = new Set<string>();
    for (const e of events) {
      expect(e.eventVersion).toBe('1.08');
      expect(e.eventID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      ids.add(e.eventID);
      expect(e.eventTime).toMatch(ISO_S);
      expect(t(e)).toBeLessThanOrEqual(now);
      expect(e.eventSource).toMatch(/^[a-z0-9-]+\.amazonaws\.com$/);
      expect(typeof e.readOnly).toBe('boolean');
      // API calls, and console sign-ins (their own event type, CloudTrail User Guide "AWS Management Console sign-in events").
      expect(e.eventType).toBe(e.eventSource === 'signin.amazonaws.com' ? 'AwsConsoleSignIn' : 'AwsApiCall');
      expect(e.managementEvent).toBe(true);
      expect(e.recipientAccountId).toBe(F.accountId);
      // An AWS service calling for the account has no account in its identity (elastic-assumerole-awsservice-ec2.json).
      if (e.userIdentity.type === 'AWSService') expect(e.userIdentity).toEqual({ type: 'AWSService', invokedBy: expect.stringMatching(/\.amazonaws\.com$/) });
      else expect(e.userIdentity.accountId).toBe(F.accountId);
      expect(e.requestParameters === null || typeof e.requestParameters === 'object').toBe(true);
      if (e.errorCode) expect(typeof e.errorMessage).toBe('string');
    }
    expect(ids.size).toBe(events.length);
  });

  it('has events older than 90 days (to be hidden by LookupEvents), including the compromised key', () => {
    const old = events.filter((e) => now - t(e) > 90 * 86_400_000);
    expect(old.length).toBeGreaterThanOrEqual(3);
    expect(old.some((e) => e.userIdentity.accessKeyId === F.compromised.accessKeyId)).toBe(true);
  });

  it('the compromised key: 250–400 events in [attack start − 24 h, now], in us-west-2 and us-east-1', () => {
    const start = (cronRunStarts(NOW)[0] as number) - 86_400_000;
    const inWindow = byKey(w, F.compromised.accessKeyId).filter((e) => t(e) >= start);
    expect(inWindow.length).toBeGreaterThanOrEqual(250);
    expect(inWindow.length).toBeLessThanOrEqual(400);
    const regions = new Set(inWindow.map((e) => e.awsRegion));
    expect([...regions].sort()).toEqual(['us-east-1', 'us-west-2']);
    for (const e of inWindow) {
      if (e.awsRegion === 'us-east-1') expect(['iam.amazonaws.com', 'sts.amazonaws.com']).toContain(e.eventSource);
      else expect(['iam.amazonaws.com', 'sts.amazonaws.com']).not.toContain(e.eventSource);
      expect([F.threatListIp, F.corporateIp]).toContain(e.sourceIPAddress);
    }
  });

  it('the compromised key: 7 days of ordinary CI use from the corporate IP, every 30 minutes, until the attack ends', () => {
    const ci = byKey(w, F.compromised.accessKeyId).filter((e) => e.sourceIPAddress === F.corporateIp && now - t(e) < 90 * 86_400_000);
    const runs = cronRunStarts(NOW);
    expect(ci.length).toBeGreaterThanOrEqual(7 * 48);
    for (const e of ci) {
      expect(e.userAgent).toBe(F.ciUserAgent);
      expect(e.readOnly).toBe(true);
      expect(e.errorCode).toBeUndefined();
      expect(['GetParameters', 'GetParameter']).toContain(e.eventName);
    }
    const times = ci.map(t).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBe(30 * 60_000);
    expect((runs[0] as number) - (times[0] as number)).toBeGreaterThanOrEqual(7 * 86_400_000 - 30 * 60_000);
  });

  it('GetSessionToken minted the derived key, which the attacker then used', () => {
    const gst = allEvents(w).filter((e) => e.eventName === 'GetSessionToken');
    expect(gst.length).toBe(1);
    const e = gst[0] as CloudTrailRecord;
    expect(e.awsRegion).toBe('us-east-1');
    expect(e.eventSource).toBe('sts.amazonaws.com');
    expect(e.sourceIPAddress).toBe(F.threatListIp);
    expect(e.userIdentity.accessKeyId).toBe(F.compromised.accessKeyId);
    expect(now - t(e)).toBeGreaterThan(25 * 60_000);
    expect(now - t(e)).toBeLessThan(35 * 60_000);
    const creds = obj(obj(e.responseElements).credentials);
    expect(creds.accessKeyId).toBe(F.compromised.derivedSessionKeyId);
    expect(String(creds.sessionToken)).toMatch(/REDACTED/);
    expect(creds.secretAccessKey).toBeUndefined();

    const derived = byKey(w, F.compromised.derivedSessionKeyId);
    expect(derived.length).toBeGreaterThanOrEqual(3);
    for (const d of derived) {
      expect(d.sourceIPAddress).toBe(F.threatListIp);
      expect(d.userIdentity.userName).toBe(F.compromised.userName);
      expect(t(d)).toBeGreaterThan(t(e));
      expect(obj(obj(d.userIdentity.sessionContext).attributes).creationDate).toBe(e.eventTime);
    }
    expect(new Set(derived.map((d) => d.awsRegion))).toEqual(new Set(['us-east-1', 'us-west-2']));

    const session = w.iam.sessions[F.compromised.derivedSessionKeyId];
    expect(session?.parentUser).toBe(F.compromised.userName);
    expect(session?.arn).toBe(`arn:aws:iam::${F.accountId}:user/${F.compromised.userName}`);
    expect(session?.issuedAt).toBe(e.eventTime);
    expect(Date.parse(session?.expiresAt ?? '')).toBeGreaterThan(now);
  });

  it("GetSessionToken's expiration is CloudTrail's own text: UTC without a zone, issued + 12 h", () => {
    const e = allEvents(w).find((x) => x.eventName === 'GetSessionToken') as CloudTrailRecord;
    const expiration = String(obj(obj(e.responseElements).credentials).expiration);
    expect(expiration).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/);
    const end = new Date(t(e) + 12 * 3_600_000);
    const h = end.getUTCHours();
    expect(expiration).toContain(`${end.getUTCFullYear()}, ${h % 12 === 0 ? 12 : h % 12}:${String(end.getUTCMinutes()).padStart(2, '0')}:${String(end.getUTCSeconds()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`);
  });

  it('console sign-ins in the real shapes: successes and failed password guesses, in the regions CloudTrail uses', () => {
    const signIns = allEvents(w).filter((e) => e.eventSource === 'signin.amazonaws.com');
    for (const e of signIns) {
      expect(e.eventName).toBe('ConsoleLogin');
      expect(e.eventType).toBe('AwsConsoleSignIn');
      expect(e.requestParameters).toBeNull();
      expect(obj(e.additionalEventData).LoginTo).toMatch(/^https:\/\/console\.aws\.amazon\.com\//);
      // A failure has a message and no errorCode; a success neither.
      expect(e.errorCode).toBeUndefined();
      const outcome = obj(e.responseElements).ConsoleLogin;
      if (outcome === 'Failure') expect(e.errorMessage).toBe('Failed authentication');
      else expect(outcome).toBe('Success');
      if (outcome === 'Success') expect(e.errorMessage).toBeUndefined();
    }
    const alice = signIns.filter((e) => e.userIdentity.userName === F.developer.userName);
    const ok = alice.filter((e) => obj(e.responseElements).ConsoleLogin === 'Success');
    const failed = alice.filter((e) => obj(e.responseElements).ConsoleLogin === 'Failure');
    expect(ok.length).toBeGreaterThanOrEqual(4);
    for (const e of ok) {
      expect(e.awsRegion).toBe(F.developer.signInRegion);
      expect(obj(e.additionalEventData)).toMatchObject({ MFAUsed: 'Yes', MFAIdentifier: F.developer.mfaSerial });
    }
    expect(failed.length).toBe(F.passwordGuessing.attempts);
    for (const e of failed) {
      expect(e.awsRegion).toBe('us-east-1');
      expect(e.sourceIPAddress).toBe(F.passwordGuessing.ip);
      expect(e.userIdentity.accessKeyId).toBe('');
      expect(e.userIdentity.arn).toBeUndefined();
    }
    const root = signIns.filter((e) => e.userIdentity.type === 'Root');
    expect(root.map((e) => e.awsRegion)).toEqual(['us-east-1']);
  });

  it("the instance role's session was minted by the EC2 service: an AWSService caller, as real records show it", () => {
    const minted = allEvents(w).filter((e) => e.eventName === 'AssumeRole' && e.userIdentity.type === 'AWSService');
    expect(minted).toHaveLength(1);
    const e = minted[0] as CloudTrailRecord;
    expect(e).toMatchObject({ sourceIPAddress: 'ec2.amazonaws.com', userAgent: 'ec2.amazonaws.com', readOnly: true, awsRegion: 'us-west-2' });
    expect(e.userIdentity.accessKeyId).toBeUndefined();
    const creds = obj(obj(e.responseElements).credentials);
    expect(creds).toMatchObject({ accessKeyId: F.role.sessionKeyId, sessionToken: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
    expect(String(creds.expiration)).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/);
    expect(w.iam.sessions[F.role.sessionKeyId]?.issuedAt).toBe(e.eventTime);
  });

  it('hostile strings: an attacker user agent and an attacker requestParameters carry terminal escapes', () => {
    const attackerEvents = events.filter((e) => e.sourceIPAddress === F.threatListIp);
    expect(attackerEvents.some((e) => hostile(e.userAgent))).toBe(true);
    expect(attackerEvents.some((e) => Object.values(e.requestParameters ?? {}).some(hostile))).toBe(true);
  });

  it('other principals are present so lookups must filter', () => {
    const principals = new Set(events.map((e) => e.userIdentity.arn));
    expect(principals.size).toBeGreaterThanOrEqual(5);
    const alice = byKey(w, F.developer.accessKeyId);
    expect(alice.length).toBeGreaterThanOrEqual(24);
    expect(new Set(alice.map((e) => e.awsRegion))).toEqual(new Set(['us-east-1', 'us-west-2']));
    const role = byKey(w, F.role.sessionKeyId);
    expect(role.some((e) => e.sourceIPAddress === F.role.exfilIp)).toBe(true);
    expect(role.every((e) => e.userIdentity.type === 'AssumedRole')).toBe(true);
    const analyst = byKey(w, F.analyst.accessKeyId);
    expect(analyst.length).toBeGreaterThanOrEqual(3);
    expect(analyst.every((e) => now - t(e) < 15 * 60_000)).toBe(true);
  });
});

describe('workshop: other findings', () => {
  it('scenario 3: credential exfiltration by an assumed role, from an external IP', () => {
    const f = byId(F.findings.credentialExfiltration);
    expect(f.type).toBe('UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS');
    expect(f.severity).toBe(8);
    const ak = obj(f.resource.accessKeyDetails);
    expect(ak).toEqual({ accessKeyId: F.role.sessionKeyId, principalId: `${F.role.roleId}:${F.role.instanceId}`, userName: F.role.roleName, userType: 'AssumedRole' });
    const ip = obj(obj(obj(f.service.action).awsApiCallAction).remoteIpDetails).ipAddressV4;
    expect(ip).toBe(F.role.exfilIp);
    expect(ip).not.toBe(F.threatListIp);
    const exfil = byKey(w, F.role.sessionKeyId).filter((e) => e.sourceIPAddress === F.role.exfilIp && e.awsRegion === 'us-west-2');
    expect(f.service.count).toBe(exfil.length);
    expect(f.service.eventFirstSeen).toBe(new Date(Math.min(...exfil.map(t))).toISOString());
    expect(f.service.eventLastSeen).toBe(new Date(Math.max(...exfil.map(t))).toISOString());
    expect(w.iam.sessions[F.role.sessionKeyId]?.arn).toBe(`arn:aws:sts::${F.accountId}:assumed-role/${F.role.roleName}/${F.role.instanceId}`);
    expect(w.iam.sessions[F.role.sessionKeyId]?.roleName).toBe(F.role.roleName);
  });

  it('root and sample findings', () => {
    const root = byId(F.findings.rootUsage);
    expect(root.type).toBe('Policy:IAMUser/RootCredentialUsage');
    expect(obj(root.resource.accessKeyDetails).userType).toBe('Root');
    expect(obj(root.resource.accessKeyDetails).userName).toBe('Root');
    const sample = byId(F.findings.sample);
    expect(JSON.parse(obj(sample.service.additionalInfo).value as string)).toMatchObject({ sample: true });
    expect(obj(sample.resource.accessKeyDetails)).toMatchObject({ userName: 'GeneratedFindingUserName', accessKeyId: 'GeneratedFindingAccessKeyId', userType: 'AWSService' });
    const nonSample = findings.filter((f) => f.id !== F.findings.sample);
    for (const f of nonSample) expect(JSON.parse(obj(f.service.additionalInfo).value as string).sample).toBeUndefined();
  });

  it('scenario 1 EC2 findings with instance details', () => {
    const types = Object.fromEntries(findings.map((f) => [f.type, f]));
    const mip = types['UnauthorizedAccess:EC2/MaliciousIPCaller.Custom'];
    const btc = types['CryptoCurrency:EC2/BitcoinTool.B!DNS'];
    const ssh = types['UnauthorizedAccess:EC2/SSHBruteForce'];
    expect(mip?.severity).toBe(5);
    expect(btc?.severity).toBe(8);
    expect(ssh?.severity).toBe(2);
    expect(obj(btc?.service.action).actionType).toBe('DNS_REQUEST');
    expect(obj(ssh?.service.action).actionType).toBe('NETWORK_CONNECTION');
    expect(ssh?.service.resourceRole).toBe('TARGET');
    for (const f of [mip, btc, ssh]) {
      const inst = obj(f?.resource.instanceDetails);
      expect(inst.instanceId).toMatch(/^i-0[0-9a-f]+$/);
      expect(Array.isArray(inst.networkInterfaces)).toBe(true);
      expect(Array.isArray(inst.tags)).toBe(true);
    }
    expect(obj(obj(mip?.resource.instanceDetails).iamInstanceProfile).arn).toContain(F.role.instanceProfileName);
  });

  it('hostile strings: a non-Custom finding user agent and an instance tag', () => {
    const kali = byId(F.findings.hostileKali);
    expect(hostile(obj(obj(kali.service.action).awsApiCallAction).userAgent)).toBe(true);
    const tags = findings.flatMap((f) => (obj(f.resource.instanceDetails ?? {}).tags as Array<{ value: string }> | undefined) ?? []);
    expect(tags.some((x) => hostile(x.value))).toBe(true);
    for (const id of [F.findings.unauthorizedAccessCustom, F.findings.reconCustom]) expect(JSON.stringify(byId(id))).not.toContain('\\u001b');
  });

  it('us-east-1 has an IAMUser finding for dev-alice', () => {
    const f = east?.findings.find((x) => x.type === 'Discovery:IAMUser/AnomalousBehavior');
    expect(obj(f?.resource.accessKeyDetails).userName).toBe(F.developer.userName);
  });
});

describe('workshop: IAM', () => {
  const iam = w.iam;
  const longTermKeys = (user: string): string[] =>
    Object.values(iam.accessKeys).filter((k) => k.userName === user && !k.accessKeyId.startsWith('ASIA')).map((k) => k.accessKeyId);

  it('the compromised user: one key, one inline SSM policy, nothing else', () => {
    const u = iam.users[F.compromised.userName];
    expect(u?.userId).toBe(F.compromised.userId);
    expect(u?.path).toBe('/');
    expect(u?.arn).toBe(`arn:aws:iam::${F.accountId}:user/${F.compromised.userName}`);
    expect(now - Date.parse(u?.createDate ?? '')).toBeGreaterThan(350 * 86_400_000);
    expect(Object.keys(u?.inlinePolicies ?? {})).toEqual([F.compromised.inlinePolicyName]);
    const doc = JSON.parse(u?.inlinePolicies[F.compromised.inlinePolicyName] ?? '{}') as { Statement: Array<{ Effect: string; Action: string[]; Resource: string }> };
    expect(doc.Statement).toEqual([{ Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:DescribeParameters'], Resource: '*' }]);
    expect(u?.attachedPolicyArns).toEqual([]);
    expect(u?.groups).toEqual([]);
    expect(u?.permissionsBoundaryArn).toBeUndefined();
    expect(u?.tags.length).toBeGreaterThanOrEqual(1);
    expect(longTermKeys(F.compromised.userName)).toEqual([F.compromised.accessKeyId]);
    const key = iam.accessKeys[F.compromised.accessKeyId];
    expect(key?.status).toBe('Active');
    expect(key?.secretAccessKey).toBe(F.compromised.secretAccessKey);
    expect(now - Date.parse(key?.createDate ?? '')).toBeGreaterThan(150 * 86_400_000);
    const lastAttackerSsm = byKey(w, F.compromised.accessKeyId)
      .filter((e) => e.sourceIPAddress === F.threatListIp && e.eventSource === 'ssm.amazonaws.com' && !e.errorCode)
      .map(t)
      .reduce((a, b) => Math.max(a, b), 0);
    expect(key?.lastUsed).toEqual({ date: new Date(lastAttackerSsm).toISOString().replace('.000Z', 'Z'), serviceName: 'ssm', region: 'us-west-2' });
  });

  it('the analyst can investigate and contain', () => {
    const u = iam.users[F.analyst.userName];
    expect(u?.attachedPolicyArns).toContain('arn:aws:iam::aws:policy/SecurityAudit');
    expect(iam.managedPolicies['arn:aws:iam::aws:policy/SecurityAudit']).toBeDefined();
    const inline = Object.values(u?.inlinePolicies ?? {}).join('\n');
    for (const a of ['iam:UpdateAccessKey', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy', 'guardduty:ArchiveFindings']) expect(inline).toContain(a);
    expect(iam.accessKeys[F.analyst.accessKeyId]?.secretAccessKey).toBe(F.analyst.secretAccessKey);
    expect(iam.accessKeys[F.analyst.accessKeyId]?.status).toBe('Active');
  });

  it('dev-alice: managed (versioned), AWS managed, inline Deny + Condition, group, boundary, two keys', () => {
    const u = iam.users[F.developer.userName];
    expect(u?.groups).toEqual([F.developer.groupName]);
    expect(u?.permissionsBoundaryArn).toBe(`arn:aws:iam::${F.accountId}:policy/${F.developer.boundaryPolicyName}`);
    const dpu = iam.managedPolicies[`arn:aws:iam::${F.accountId}:policy/DeveloperPowerUser`];
    expect(dpu?.versions.length).toBe(2);
    expect(dpu?.defaultVersionId).toBe('v2');
    expect(dpu?.versions.filter((v) => v.isDefaultVersion).map((v) => v.versionId)).toEqual(['v2']);
    for (const arn of u?.attachedPolicyArns ?? []) expect(iam.managedPolicies[arn]).toBeDefined();
    const inline = Object.values(u?.inlinePolicies ?? {}).join('\n');
    expect(inline).toContain('"Deny"');
    expect(inline).toContain('"Condition"');
    const g = iam.groups[F.developer.groupName];
    expect(g?.attachedPolicyArns.length).toBe(1);
    for (const arn of g?.attachedPolicyArns ?? []) expect(iam.managedPolicies[arn]).toBeDefined();
    expect(Object.keys(g?.inlinePolicies ?? {}).length).toBe(1);
    const boundary = iam.managedPolicies[u?.permissionsBoundaryArn ?? ''];
    const bdoc = boundary?.versions.find((v) => v.isDefaultVersion)?.document ?? '';
    expect(bdoc).toContain('ec2:*');
    expect(bdoc).not.toContain('iam:');
    expect(bdoc).not.toContain('lambda:');
    const keys = longTermKeys(F.developer.userName).map((k) => iam.accessKeys[k]?.status).sort();
    expect(keys).toEqual(['Active', 'Inactive']);
  });

  it('the scenario 3 role and its session', () => {
    const r = iam.roles[F.role.roleName];
    expect(r?.roleId).toBe(F.role.roleId);
    expect(JSON.parse(r?.assumeRolePolicyDocument ?? '{}').Statement[0].Principal).toEqual({ Service: 'ec2.amazonaws.com' });
    expect(r?.attachedPolicyArns.length).toBeGreaterThanOrEqual(1);
    for (const arn of r?.attachedPolicyArns ?? []) expect(iam.managedPolicies[arn]).toBeDefined();
    expect(Object.keys(r?.inlinePolicies ?? {}).length).toBeGreaterThanOrEqual(1);
    expect(r?.lastUsed?.region).toBe('us-west-2');
  });

  it('all policy documents are JSON and all ids look like AWS ids', () => {
    const docs = [
      ...Object.values(iam.users).flatMap((u) => Object.values(u.inlinePolicies)),
      ...Object.values(iam.groups).flatMap((g) => Object.values(g.inlinePolicies)),
      ...Object.values(iam.roles).flatMap((r) => [r.assumeRolePolicyDocument, ...Object.values(r.inlinePolicies)]),
      ...Object.values(iam.managedPolicies).flatMap((p) => p.versions.map((v) => v.document)),
    ];
    for (const d of docs) expect(JSON.parse(d).Version).toBe('2012-10-17');
    for (const u of Object.values(iam.users)) expect(u.userId).toMatch(/^AIDA[A-Z0-9]+$/);
    for (const g of Object.values(iam.groups)) expect(g.groupId).toMatch(/^AGPA[A-Z0-9]+$/);
    for (const r of Object.values(iam.roles)) expect(r.roleId).toMatch(/^AROA[A-Z0-9]+$/);
    for (const p of Object.values(iam.managedPolicies)) expect(p.policyId).toMatch(/^ANPA[A-Z0-9]+$/);
    for (const k of Object.values(iam.accessKeys)) expect(k.accessKeyId).toMatch(/^(AKIA|ASIA)[A-Z0-9]+$/);
    for (const [k, s] of Object.entries(iam.sessions)) {
      expect(k).toMatch(/^ASIA/);
      expect(iam.accessKeys[k]).toBeDefined();
      expect(s.secretAccessKey).toContain('not-a-real-key');
    }
  });
});
