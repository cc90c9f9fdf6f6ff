import { describe, expect, it } from 'vitest';
import { normalizeFinding, toFindingDetail, toFindingSummary } from '../../../src/core/finding/index.js';
import { findingDetailJson, findingsListJson } from '../../../src/render/findings-json.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { CUSTOM_ID, HOSTILE, toPascal, workshopFinding } from './fixtures.js';

/** The --json contract, written out by hand (docs/json/findings.md): changing it must change this test. */
const SUMMARY_FIELDS = [
  'id', 'type', 'severity', 'severityLabel', 'title', 'accountId', 'region', 'resourceType', 'principal', 'instanceId',
  'remoteIp', 'threatListName', 'count', 'firstSeen', 'lastSeen', 'createdAt', 'updatedAt', 'archived', 'sample',
];
const DETAIL_FIELDS = ['schemaVersion', ...SUMMARY_FIELDS, 'arn', 'detectorId', 'description', 'typeExplained', 'dataSource', 'action', 'actor', 'threatIntel', 'resource', 'runtime', 'raw'];
const ACTION_FIELDS = ['actionType', 'api', 'serviceName', 'callerType', 'errorCode', 'userAgent', 'domain', 'connectionDirection', 'protocol', 'localPort', 'remotePort', 'blocked', 'verb', 'requestUri'];
const ACTOR_FIELDS = ['ipAddress', 'city', 'country', 'countryCode', 'asn', 'asnOrg', 'isp', 'org', 'geoLocation'];
const THREAT_FIELDS = ['threatListName', 'threatNames', 'source', 'details'];
const RESOURCE_FIELDS = ['resourceType', 'resourceRole', 'accessKey', 'instance', 's3Buckets', 'eksCluster', 'kubernetesUser'];
const INSTANCE_FIELDS = [
  'instanceId', 'name', 'instanceType', 'instanceState', 'availabilityZone', 'imageId', 'launchTime', 'iamInstanceProfileArn',
  'publicIps', 'privateIps', 'vpcId', 'subnetId', 'securityGroups', 'tags',
];

describe('findings list --json', () => {
  it('is an array of summaries with exactly the documented fields and values', () => {
    const [item] = findingsListJson([toFindingSummary(normalizeFinding(workshopFinding(CUSTOM_ID)))]);
    expect(Object.keys(item ?? {})).toEqual(SUMMARY_FIELDS);
    expect(item).toEqual({
      id: CUSTOM_ID,
      type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom',
      severity: 5,
      severityLabel: 'Medium',
      title: 'API GetParameters was invoked from an IP address on a custom threat list.',
      accountId: WORKSHOP.accountId,
      region: 'us-west-2',
      resourceType: 'AccessKey',
      principal: { userName: WORKSHOP.compromised.userName, userType: 'IAMUser', accessKeyId: WORKSHOP.compromised.accessKeyId, principalId: WORKSHOP.compromised.userId },
      instanceId: null,
      remoteIp: WORKSHOP.threatListIp,
      threatListName: WORKSHOP.threatListName,
      count: 40,
      firstSeen: '2026-11-27T11:19:07.000Z',
      lastSeen: '2026-11-27T11:58:07.000Z',
      createdAt: '2026-11-27T11:24:19.345Z',
      updatedAt: '2026-11-27T11:58:38.000Z',
      archived: false,
      sample: false,
    });
  });
});

describe('findings show --json', () => {
  it('has the summary fields, the detail sections and the untouched finding under raw', () => {
    const raw = toPascal(workshopFinding(WORKSHOP.findings.sshBruteForce));
    const json = findingDetailJson(toFindingDetail(normalizeFinding(raw)));
    expect(Object.keys(json)).toEqual(DETAIL_FIELDS);
    expect(json.schemaVersion).toBe(1);
    expect(Object.keys(json.action as object)).toEqual(ACTION_FIELDS);
    expect(Object.keys(json.actor as object)).toEqual(ACTOR_FIELDS);
    expect(Object.keys(json.threatIntel as object)).toEqual(THREAT_FIELDS);
    expect(Object.keys(json.resource as object)).toEqual(RESOURCE_FIELDS);
    expect(Object.keys((json.resource as { instance: object }).instance)).toEqual(INSTANCE_FIELDS);
    expect(Object.keys(json.dataSource as object)).toEqual(['name', 'checkNext']);
    expect(Object.keys(json.typeExplained as object)).toEqual(['threatPurpose', 'resourceType', 'family', 'text']);
    expect(json.raw).toBe(raw);
    expect(json.dataSource).toMatchObject({ name: 'VPC flow logs' });
  });

  it('keeps hostile strings byte for byte (JSON is never sanitised)', () => {
    const raw = workshopFinding(CUSTOM_ID) as { title: string; service: { action: { awsApiCallAction: { userAgent: string } } } };
    raw.title = HOSTILE;
    raw.service.action.awsApiCallAction.userAgent = WORKSHOP.hostileUserAgent;
    const json = findingDetailJson(toFindingDetail(normalizeFinding(raw)));
    expect(json.title).toBe(HOSTILE);
    expect((json.action as { userAgent: string }).userAgent).toBe(WORKSHOP.hostileUserAgent);
    expect(JSON.parse(JSON.stringify(json)).title).toBe(HOSTILE);
  });
});
