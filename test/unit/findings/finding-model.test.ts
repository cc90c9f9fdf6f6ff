import { describe, expect, it } from 'vitest';
import {
  DATA_SOURCES,
  compareFindings,
  dataSourceFor,
  explainFindingType,
  findingPrincipal,
  findingTarget,
  normalizeFinding,
  toFindingDetail,
  toFindingSummary,
} from '../../../src/core/finding/index.js';
import { FINDING_TYPES } from '../../../src/core/finding-types.js';
import { UsageError } from '../../../src/core/errors.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { CUSTOM_ID, toPascal, workshopFinding, workshopFindings } from './fixtures.js';

describe('normalizeFinding', () => {
  it('reads the wire (lowerCamel) and SDK (PascalCase) casings into the same summary and detail', () => {
    const wire = workshopFinding(CUSTOM_ID);
    const pascal = toPascal(wire);
    const a = toFindingDetail(normalizeFinding(wire));
    const b = toFindingDetail(normalizeFinding(pascal));
    expect({ ...b, raw: undefined }).toEqual({ ...a, raw: undefined });
    expect(b.raw).toBe(pascal);
  });

  it('summarises the workshop Custom finding', () => {
    const s = toFindingSummary(normalizeFinding(workshopFinding(CUSTOM_ID)));
    expect(s).toMatchObject({
      id: CUSTOM_ID,
      type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom',
      severity: 5,
      severityLabel: 'Medium',
      accountId: WORKSHOP.accountId,
      region: 'us-west-2',
      resourceType: 'AccessKey',
      principal: {
        userName: WORKSHOP.compromised.userName,
        userType: 'IAMUser',
        accessKeyId: WORKSHOP.compromised.accessKeyId,
        principalId: WORKSHOP.compromised.userId,
      },
      instanceId: null,
      remoteIp: WORKSHOP.threatListIp,
      threatListName: WORKSHOP.threatListName,
      count: 40,
      archived: false,
      sample: false,
    });
  });

  it('takes the threat list from evidence, then the flattened key, then the JSON in additionalInfo.value', () => {
    const base = workshopFinding(CUSTOM_ID) as { service: Record<string, unknown> };
    const noEvidence = structuredClone(base);
    delete noEvidence.service.evidence;
    noEvidence.service.additionalInfo = { value: '{"threatListName":"from-value","sample":true}', type: 'default' };
    const s1 = toFindingSummary(normalizeFinding(noEvidence));
    expect(s1.threatListName).toBe('from-value');
    expect(s1.sample).toBe(true);
    expect(toFindingDetail(normalizeFinding(noEvidence)).threatIntel.source).toBe('additionalInfo');

    const flattened = structuredClone(noEvidence);
    flattened.service.additionalInfo = { threatListName: 'flat', value: '{"threatListName":"from-value"}', type: 'default' };
    expect(toFindingSummary(normalizeFinding(flattened)).threatListName).toBe('flat');

    const broken = structuredClone(noEvidence);
    broken.service.additionalInfo = { value: '{"threatListName":', type: 'default' };
    expect(toFindingSummary(normalizeFinding(broken)).threatListName).toBeNull();

    const pascal = toPascal(noEvidence);
    expect(toFindingSummary(normalizeFinding(pascal)).threatListName).toBe('from-value');
  });

  it('marks the sample finding', () => {
    expect(toFindingSummary(normalizeFinding(workshopFinding(WORKSHOP.findings.sample))).sample).toBe(true);
  });

  it('turns SDK Date timestamps into ISO strings', () => {
    const pascal = toPascal(workshopFinding(WORKSHOP.findings.sshBruteForce)) as { Resource: { InstanceDetails: Record<string, unknown> } };
    pascal.Resource.InstanceDetails.LaunchTime = new Date('2026-11-25T10:00:00Z');
    expect(toFindingDetail(normalizeFinding(pascal)).resource.instance?.launchTime).toBe('2026-11-25T10:00:00.000Z');
  });

  it('keeps map keys (affectedResources) as they are', () => {
    const pascal = toPascal(workshopFinding(WORKSHOP.findings.s3Exfiltration));
    const f = normalizeFinding(pascal);
    expect((f.service.action as { awsApiCallAction: { affectedResources: Record<string, string> } }).awsApiCallAction.affectedResources).toEqual({
      'AWS::S3::Bucket': 'example-corp-prod-backups',
    });
  });

  it('rejects objects that are not findings', () => {
    expect(() => normalizeFinding({ id: 'x' })).toThrow(UsageError);
    expect(() => normalizeFinding({ id: 'x', type: 'T' })).toThrow(/numeric "severity"/);
    expect(() => normalizeFinding([])).toThrow(/expected a JSON object/);
  });

  it('names the principal or resource of each kind of finding', () => {
    const target = (id: string): string | null => findingTarget(normalizeFinding(workshopFinding(id)));
    expect(target(CUSTOM_ID)).toBe(WORKSHOP.compromised.userName);
    expect(target(WORKSHOP.findings.sshBruteForce)).toBe(WORKSHOP.maliciousInstanceId);
    expect(target(WORKSHOP.findings.s3Exfiltration)).toBe('example-corp-prod-backups');
    expect(target(WORKSHOP.findings.kubernetesAnonymous)).toBe('example-eks-prod');
    expect(findingPrincipal(normalizeFinding(workshopFinding(WORKSHOP.findings.sshBruteForce)))).toBeNull();
  });
});

describe('toFindingDetail', () => {
  it('has the action, actor, threat intelligence and data source of the Custom finding', () => {
    const d = toFindingDetail(normalizeFinding(workshopFinding(CUSTOM_ID)));
    expect(d.action).toMatchObject({ actionType: 'AWS_API_CALL', api: 'GetParameters', serviceName: 'ssm.amazonaws.com', callerType: 'Remote IP', userAgent: WORKSHOP.attackerUserAgent });
    expect(d.actor).toEqual({
      ipAddress: WORKSHOP.threatListIp,
      city: 'Amsterdam',
      country: 'Netherlands',
      countryCode: 'NL',
      asn: '64500',
      asnOrg: 'EXAMPLE-HOSTING-AS',
      isp: 'Example Hosting B.V.',
      org: 'Example Hosting',
      geoLocation: { lat: 52.3759, lon: 4.8975 },
    });
    expect(d.threatIntel).toEqual({
      threatListName: WORKSHOP.threatListName,
      threatNames: [],
      source: 'evidence',
      details: [{ threatListName: WORKSHOP.threatListName, threatNames: [], threatFileSha256: null }],
    });
    expect(d.dataSource.name).toBe('CloudTrail management events');
    expect(d.typeExplained.text).toBe('UnauthorizedAccess — an IAMUser — MaliciousIPCaller.Custom: API called from an IP on your custom threat list');
  });

  it('reads network, DNS and Kubernetes actions and instance details', () => {
    const ssh = toFindingDetail(normalizeFinding(workshopFinding(WORKSHOP.findings.sshBruteForce)));
    expect(ssh.action).toMatchObject({ actionType: 'NETWORK_CONNECTION', connectionDirection: 'INBOUND', protocol: 'TCP', localPort: 22, remotePort: 46012, blocked: false });
    expect(ssh.actor?.ipAddress).toBe('198.51.100.201');
    expect(ssh.resource.instance).toMatchObject({ instanceId: WORKSHOP.maliciousInstanceId, name: 'GuardDuty-Example-Web-Server' });
    expect(ssh.resource.instance?.tags).toContainEqual({ key: 'Owner', value: WORKSHOP.hostileTagValue });
    const dns = toFindingDetail(normalizeFinding(workshopFinding(WORKSHOP.findings.bitcoinDns)));
    expect(dns.action).toMatchObject({ actionType: 'DNS_REQUEST', domain: 'pool.minergate.com' });
    expect(dns.actor).toBeNull();
    expect(dns.dataSource.name).toBe('DNS logs');
    const k8s = toFindingDetail(normalizeFinding(workshopFinding(WORKSHOP.findings.kubernetesAnonymous)));
    expect(k8s.action).toMatchObject({ verb: 'list', requestUri: '/api/v1/namespaces/kube-system/secrets' });
    expect(k8s.resource.eksCluster?.name).toBe('example-eks-prod');
    expect(k8s.resource.kubernetesUser).toEqual({ username: 'system:anonymous', groups: ['system:unauthenticated'] });
  });
});

describe('dataSourceFor', () => {
  it.each([
    ['UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom', 'CloudTrail management events'],
    ['UnauthorizedAccess:EC2/SSHBruteForce', 'VPC flow logs'],
    ['CryptoCurrency:EC2/BitcoinTool.B!DNS', 'DNS logs'],
    ['Trojan:EC2/DNSDataExfiltration', 'DNS logs'],
    ['Backdoor:EC2/C&CActivity.B', 'VPC flow logs'],
    ['Exfiltration:S3/MaliciousIPCaller', 'CloudTrail S3 data events'],
    ['Policy:S3/BucketBlockPublicAccessDisabled', 'CloudTrail management events'],
    ['Discovery:Kubernetes/SuccessfulAnonymousAccess', 'EKS audit logs'],
    ['Execution:Runtime/NewBinaryExecuted', 'Runtime monitoring'],
    ['Execution:EC2/MaliciousFile', 'Malware Protection scan'],
    ['CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin', 'RDS login activity'],
    ['Something:Unknown/Thing', 'unknown'],
    ['not a type', 'unknown'],
  ])('%s → %s', (type, name) => {
    expect(dataSourceFor(type).name).toBe(name);
  });

  it('places every catalogued type and gives a next step for each known source', () => {
    for (const t of FINDING_TYPES) expect(dataSourceFor(t), t).not.toBe(DATA_SOURCES.unknown);
    for (const [k, s] of Object.entries(DATA_SOURCES)) if (k !== 'unknown') expect(s.checkNext, k).toBeTruthy();
  });
});

describe('explainFindingType', () => {
  it('falls back to the threat purpose, and to the raw text for non-standard names', () => {
    expect(explainFindingType('Impact:EC2/PortSweep').text).toBe('Impact — an EC2 — PortSweep: an attempt to disrupt, destroy or abuse resources');
    expect(explainFindingType('Recon:IAMUser/MaliciousIPCaller.Custom').text).toBe('Recon — an IAMUser — MaliciousIPCaller.Custom: API called from an IP on your custom threat list');
    expect(explainFindingType('weird')).toEqual({ threatPurpose: null, resourceType: null, family: null, text: 'weird' });
  });
});

describe('compareFindings', () => {
  it('orders by severity, then last seen (newest first), then ID', () => {
    const list = workshopFindings().map((f) => toFindingSummary(normalizeFinding(f))).filter((s) => !s.archived);
    const sorted = [...list].sort(compareFindings('severity'));
    expect(sorted.map((s) => s.severity)).toEqual([...sorted.map((s) => s.severity)].sort((a, b) => b - a));
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1]!;
      const b = sorted[i]!;
      if (a.severity === b.severity) expect(Date.parse(a.lastSeen ?? '')).toBeGreaterThanOrEqual(Date.parse(b.lastSeen ?? ''));
    }
    const customIdx = sorted.findIndex((s) => s.id === CUSTOM_ID);
    const reconIdx = sorted.findIndex((s) => s.id === WORKSHOP.findings.reconCustom);
    expect(customIdx).toBeLessThan(reconIdx);
    const byCount = [...list].sort(compareFindings('count'));
    expect(byCount[0]?.id).toBe(WORKSHOP.findings.sshBruteForce);
    const byUpdated = [...list].sort(compareFindings('updated'));
    expect(Date.parse(byUpdated[0]!.updatedAt)).toBe(Math.max(...list.map((s) => Date.parse(s.updatedAt))));
  });
});
