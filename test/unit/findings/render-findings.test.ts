import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { compareFindings, normalizeFinding, toFindingDetail, toFindingListItem, type FindingListItem } from '../../../src/core/finding/index.js';
import { CONTROL_NOTE, renderFindingDetail, renderFindingsList, renderSeveritySummary } from '../../../src/render/findings.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { CUSTOM_ID, FORBIDDEN, HOSTILE, NOW, workshopFinding, workshopFindings } from './fixtures.js';

const plain = new Chalk({ level: 0 });
const piped = { style: plain, columns: undefined, stdoutIsTTY: false };
const tty = (columns: number) => ({ style: plain, columns, stdoutIsTTY: true });

function items(): FindingListItem[] {
  const list = workshopFindings().map((f) => toFindingListItem(normalizeFinding(f))).filter((i) => !i.summary.archived);
  const cmp = compareFindings('severity');
  return list.sort((a, b) => cmp(a.summary, b.summary));
}

describe('renderFindingsList', () => {
  it('piped: full IDs, ISO times, no truncation, severity as text', () => {
    expect(renderFindingsList(items(), piped, { showRegion: false, now: NOW })).toBe(
      [
        'Total: 11  High 3 · Medium 5 · Low 3',
        '',
        'SEVERITY  TYPE                                                                  PRINCIPAL/RESOURCE                       REMOTE IP       COUNT  LAST SEEN             ID',
        'High      Exfiltration:S3/MaliciousIPCaller                                     example-corp-prod-backups                192.0.2.199        23  2026-11-27T10:58:00Z  93fa1ae3f52b30b13afa0b1c2d3e4f50',
        'High      UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS  GuardDuty-Example-EC2-Compromised-Role   192.0.2.199         7  2026-11-27T10:57:13Z  2ce3a3d6e8b46f49c3e3f4a5b6c7d8e9',
        'High      CryptoCurrency:EC2/BitcoinTool.B!DNS                                  i-0abc1234def567890                      -                  31  2026-11-27T09:18:00Z  60c7e7b0c2f80d8d07c7d8e9fa0b1c2d',
        'Medium    UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom                   GuardDuty-Example-Compromised-Simulated  198.51.100.77      40  2026-11-27T11:58:07Z  0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7',
        'Medium    Recon:IAMUser/MaliciousIPCaller.Custom                                GuardDuty-Example-Compromised-Simulated  198.51.100.77      40  2026-11-27T11:58:06Z  1bd2f2c5d7a35e38b2d2e3f4a5b6c7d8',
        'Medium    PenTest:IAMUser/KaliLinux                                             GuardDuty-Example-Compromised-Simulated  198.51.100.77       2  2026-11-27T11:32:35Z  82e909d2e41a2fa029e9fa0b1c2d3e4f',
        'Medium    UnauthorizedAccess:EC2/MaliciousIPCaller.Custom                       i-0abc1234def567890                      198.51.100.77      14  2026-11-27T08:46:00Z  5fb6d6a9b1e79c7cf6b6c7d8e9fa0b1c',
        'Medium    Discovery:Kubernetes/SuccessfulAnonymousAccess                        example-eks-prod                         192.0.2.33          3  2026-11-26T10:02:00Z  a40b2bf4063c41c24b0b1c2d3e4f5061',
        'Low       UnauthorizedAccess:EC2/SSHBruteForce                                  i-0def5678abc901234                      198.51.100.201    211  2026-11-27T09:05:00Z  71d8f8c1d3091e9e18d8e9fa0b1c2d3e',
        'Low       [SAMPLE] Stealth:IAMUser/CloudTrailLoggingDisabled                    GeneratedFindingUserName                 198.51.100.0        1  2026-11-27T06:00:00Z  3df4b4e7f9c57a5ad4f4a5b6c7d8e9fa',
        'Low       Policy:IAMUser/RootCredentialUsage                                    Root                                     203.0.113.77        1  2026-11-25T09:00:12Z  4ea5c5f8a0d68b6be5a5b6c7d8e9fa0b',
      ].join('\n'),
    );
  });

  it('TTY: relative times, fitted to the width, IDs kept whole', () => {
    const out = renderFindingsList(items().slice(3, 6), tty(140), { showRegion: false, now: NOW });
    expect(out).toBe(
      [
        'Total: 3  High 0 · Medium 3 · Low 0',
        '',
        'SEVERITY  TYPE                                       PRINCIPAL/RESOURCE    REMOTE IP      COUNT  LAST SEEN  ID',
        'Medium    UnauthorizedAccess:IAMUser/MaliciousIPCa…  GuardDuty-Example-C…  198.51.100.77     40  2m ago     0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7',
        'Medium    Recon:IAMUser/MaliciousIPCaller.Custom     GuardDuty-Example-C…  198.51.100.77     40  2m ago     1bd2f2c5d7a35e38b2d2e3f4a5b6c7d8',
        'Medium    PenTest:IAMUser/KaliLinux                  GuardDuty-Example-C…  198.51.100.77      2  27m ago    82e909d2e41a2fa029e9fa0b1c2d3e4f',
      ].join('\n'),
    );
    for (const width of [80, 100, 120, 160]) {
      for (const showRegion of [false, true]) {
        const lines = renderFindingsList(items(), tty(width), { showRegion, now: NOW }).split('\n');
        for (const line of lines) expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width);
        expect(lines.join('\n')).toContain(CUSTOM_ID);
      }
    }
    // Narrower than the ID needs: the ID stays whole (copyable) rather than the table fitting.
    expect(renderFindingsList(items(), tty(40), { showRegion: true, now: NOW })).toContain(CUSTOM_ID);
  });

  it('TTY with a region column on a 120-column terminal: REMOTE IP gives way before TYPE becomes unreadable', () => {
    expect(renderFindingsList(items().slice(0, 2), tty(120), { showRegion: true, now: NOW })).toBe(
      [
        'Total: 2  High 2 · Medium 0 · Low 0',
        '',
        'SEVERITY  REGION     TYPE                            PRINCIPAL/RESO…  COUNT  LAST SEEN  ID',
        'High      us-west-2  Exfiltration:S3/MaliciousIPCa…  example-corp-p…     23  1h ago     93fa1ae3f52b30b13afa0b1c2d3e4f50',
        'High      us-west-2  UnauthorizedAccess:IAMUser/In…  GuardDuty-Exam…      7  1h ago     2ce3a3d6e8b46f49c3e3f4a5b6c7d8e9',
      ].join('\n'),
    );
  });

  it('colours the severity label on a colour terminal, never replacing it', () => {
    const color = new Chalk({ level: 1 });
    const out = renderFindingsList(items().slice(0, 1), { style: color, columns: 200, stdoutIsTTY: true }, { showRegion: false, now: NOW });
    expect(out).toContain('\u001b[31m');
    expect(out.replace(/\u001b\[[0-9;]*m/g, '')).toContain('High      Exfiltration:S3/MaliciousIPCaller');
  });

  it('summary line shows Critical only when present', () => {
    expect(renderSeveritySummary([9.5, 8, 5, 5, 2], plain)).toBe('Total: 5  Critical 1 · High 1 · Medium 2 · Low 1');
    expect(renderSeveritySummary([8, 5], plain)).toBe('Total: 2  High 1 · Medium 1 · Low 0');
  });
});

describe('renderFindingDetail', () => {
  it('piped: the Custom finding top to bottom, exact text', () => {
    const d = toFindingDetail(normalizeFinding(workshopFinding(CUSTOM_ID)));
    expect(renderFindingDetail(d, piped, NOW)).toBe(
      [
        'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom  Medium (5)',
        'API GetParameters was invoked from an IP address on a custom threat list.',
        '',
        'What happened',
        `  API GetParameters, commonly used to access resources in an AWS environment, was invoked from IP address 198.51.100.77 on the custom threat list GuardDuty-Example-Custom-Threat-List. The credentials of IAM user GuardDuty-Example-Compromised-Simulated may be compromised.`,
        '  Type             UnauthorizedAccess — an IAMUser — MaliciousIPCaller.Custom: API called from an IP on your custom threat list',
        '',
        'When',
        '  First seen       2026-11-27T11:19:07Z',
        '  Last seen        2026-11-27T11:58:07Z',
        '  Count            40',
        '  Created          2026-11-27T11:24:19Z',
        '  Updated          2026-11-27T11:58:38Z',
        '',
        'Resource affected',
        '  Resource type    AccessKey',
        '  Resource role    TARGET',
        '  User name        GuardDuty-Example-Compromised-Simulated',
        '  User type        IAMUser',
        '  Access key ID    AKIAQCOMPROMISED0EX1',
        '  Principal ID     AIDACOMPROMISED0EXAMPLE',
        '',
        'Action',
        '  Action type      AWS API call',
        '  API              GetParameters',
        '  Service          ssm.amazonaws.com',
        '  Caller type      Remote IP',
        `  User agent       ${WORKSHOP.attackerUserAgent}`,
        '',
        'Actor',
        '  Remote IP        198.51.100.77',
        '  Location         Amsterdam, Netherlands (NL)',
        '  ASN              64500 EXAMPLE-HOSTING-AS',
        '  ISP              Example Hosting B.V.',
        '  Organisation     Example Hosting',
        '  Geolocation      52.3759, 4.8975',
        '',
        'Threat intelligence',
        '  Threat list      GuardDuty-Example-Custom-Threat-List',
        '  Listed IP        198.51.100.77',
        '',
        'Data source',
        '  Source           CloudTrail management events',
        "  Check next       CloudTrail event history for the access key or principal (gd-ir trail --key …); global services' events are in us-east-1",
        '',
        'Status',
        '  Archived         no',
        '  Account          111122223333',
        '  Region           us-west-2',
        '  Detector         12abc34d567e8fa901bc2d34eexample',
        '  Finding ID       0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7',
        '',
        'Next:',
        '  gd-ir investigate 0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7',
        '  gd-ir trail --key AKIAQCOMPROMISED0EX1',
      ].join('\n'),
    );
  });

  it('TTY: times carry the relative age, the description wraps, --region is suggested when given', () => {
    const d = toFindingDetail(normalizeFinding(workshopFinding(CUSTOM_ID)));
    const out = renderFindingDetail(d, tty(80), NOW, { scope: { region: 'us-west-2' } });
    expect(out).toContain('  Last seen        2026-11-27T11:58:07Z (2m ago)');
    for (const line of out.split('\n').slice(0, 8)) if (!line.startsWith('  Type')) expect(line.length).toBeLessThanOrEqual(80);
    expect(out).toContain('  gd-ir trail --key AKIAQCOMPROMISED0EX1 --region us-west-2');
  });

  it('marks sample findings', () => {
    const out = renderFindingDetail(toFindingDetail(normalizeFinding(workshopFinding(WORKSHOP.findings.sample))), piped, NOW);
    expect(out.split('\n')[0]).toBe('[SAMPLE] Stealth:IAMUser/CloudTrailLoggingDisabled  Low (2)');
    expect(out).toContain('This is a sample finding');
  });
});

/** A finding whose every displayed string carries terminal escapes, C0/C1 controls and a bidi override. */
function hostileFinding(): Record<string, unknown> {
  const h = (label: string): string => `${label}${HOSTILE}`;
  return {
    schemaVersion: '2.0',
    id: CUSTOM_ID,
    type: h('UnauthorizedAccess:IAMUser/'),
    severity: 5,
    title: h('title'),
    description: h('description'),
    accountId: h('acct'),
    region: h('region'),
    arn: h('arn'),
    createdAt: '2026-11-27T11:00:00Z',
    updatedAt: '2026-11-27T11:30:00Z',
    resource: {
      resourceType: h('AccessKey'),
      accessKeyDetails: { userName: h('user'), userType: h('IAMUser'), accessKeyId: h('AKIA'), principalId: h('AIDA') },
      instanceDetails: {
        instanceId: h('i-'),
        instanceType: h('t3'),
        tags: [{ key: h('k'), value: h('v') }, { key: 'Name', value: h('name') }],
        networkInterfaces: [{ publicIp: h('1.2.3.4'), privateIpAddress: h('10.0.0.1'), vpcId: h('vpc'), subnetId: h('subnet'), securityGroups: [{ groupName: h('sg') }] }],
      },
      s3BucketDetails: [{ name: h('bucket'), type: h('Destination') }],
      eksClusterDetails: { name: h('cluster'), arn: h('arn'), vpcId: h('vpc') },
      kubernetesDetails: { kubernetesUserDetails: { username: h('k8s'), groups: [h('group')] } },
    },
    service: {
      archived: false,
      count: 3,
      detectorId: h('det'),
      resourceRole: h('TARGET'),
      eventFirstSeen: '2026-11-27T10:00:00Z',
      eventLastSeen: '2026-11-27T11:00:00Z',
      action: {
        actionType: h('AWS_API_CALL'),
        awsApiCallAction: {
          api: h('GetParameters'),
          serviceName: h('ssm'),
          callerType: h('Remote IP'),
          errorCode: h('AccessDenied'),
          userAgent: WORKSHOP.hostileUserAgent,
          remoteIpDetails: {
            ipAddressV4: h('198.51.100.77'),
            city: { cityName: h('city') },
            country: { countryName: h('country'), countryCode: h('NL') },
            organization: { asn: h('64500'), asnOrg: h('asnorg'), isp: h('isp'), org: h('org') },
          },
        },
      },
      evidence: { threatIntelligenceDetails: [{ threatListName: h('list'), threatNames: [h('threat')] }] },
      additionalInfo: { value: JSON.stringify({ sample: false }), type: 'default' },
    },
  };
}

describe('hostile strings', () => {
  it('never reach the terminal from the list or the detail view, and are flagged in the detail view', () => {
    const f = normalizeFinding(hostileFinding());
    const outputs = [
      renderFindingsList([toFindingListItem(f)], piped, { showRegion: true, now: NOW }),
      renderFindingsList([toFindingListItem(f)], tty(200), { showRegion: true, now: NOW }),
      renderFindingDetail(toFindingDetail(f), piped, NOW),
      renderFindingDetail(toFindingDetail(f), tty(100), NOW),
    ];
    for (const out of outputs) {
      expect(out).not.toMatch(FORBIDDEN);
      expect(out).not.toContain('\u001b');
      expect(out).not.toContain('evil.example');
    }
    const detail = outputs[2] ?? '';
    for (const label of ['title', 'description', 'user', 'AKIA', 'AIDA', 'GetParameters', 'ssm', 'Remote IP', 'AccessDenied', 'city', 'country', 'isp', 'org', 'list', 'threat', 'bucket', 'cluster', 'k8s', 'group', 'sg', 'name', 'TARGET', 'acct', 'det']) {
      expect(detail, label).toContain(`${label}xredlink`);
    }
    const flagged = detail.split('\n').filter((l) => l.includes(CONTROL_NOTE));
    expect(flagged.length).toBeGreaterThanOrEqual(20);
    expect(detail).toMatch(/User agent .*⚠ contained terminal control sequences — shown sanitised/);
    expect(outputs[0]).toContain('userxredlink');
  });

  it('hostile finding IDs are never offered as commands', () => {
    const raw = hostileFinding();
    raw.id = `abc${HOSTILE}`;
    const out = renderFindingDetail(toFindingDetail(normalizeFinding(raw)), piped, NOW);
    expect(out).not.toContain('gd-ir investigate');
    expect(out).not.toMatch(FORBIDDEN);
  });
});
