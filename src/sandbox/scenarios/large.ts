/**
 * The `large` scenario: generated from LargeParams with a seeded PRNG, for scale tests and benchmarks.
 * - `findings` findings in `detectorRegion` (mixed types and resource types, severities across the bands, ~10 % archived);
 * - detectors in every region of `regions`;
 * - `users` IAM users (the busy one included), each with one key and a small inline policy, plus the sandbox analyst;
 * - the busy key's exactly `eventsPerKey` events, round-robin over `regions`, within the last 20 hours, plus noise.
 */
import type { AccessKey, CloudTrailRecord, GuardDutyFinding, IamUser, RegionData, World } from '../model.js';
import type { LargeParams } from './large-facts.js';
import { LARGE } from './large-facts.js';
import type { Rng } from './util.js';
import { DAY, HOUR, MINUTE, awsId, ctEvent, deniedMessage, emptyRegion, finding, hex, iso, isoSec, pick, policyDoc, prng, randInt } from './util.js';
import { WORKSHOP } from './workshop-facts.js';

const ACCT = LARGE.accountId;

interface Principal {
  userName: string;
  userId: string;
  accessKeyId: string;
  arn: string;
}

const NAME_PREFIXES = ['svc', 'app', 'ci', 'etl', 'ops', 'dev', 'batch', 'report'] as const;
const NAME_WORDS = ['orders', 'billing', 'search', 'ingest', 'media', 'auth', 'metrics', 'export', 'backup', 'catalog', 'payments', 'mail'] as const;

const IAM_FINDING_TYPES: ReadonlyArray<[string, string, string]> = [
  ['UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom', 'GetParameters', 'ssm.amazonaws.com'],
  ['Recon:IAMUser/MaliciousIPCaller.Custom', 'ListBuckets', 's3.amazonaws.com'],
  ['UnauthorizedAccess:IAMUser/TorIPCaller', 'DescribeInstances', 'ec2.amazonaws.com'],
  ['Discovery:IAMUser/AnomalousBehavior', 'ListRoles', 'iam.amazonaws.com'],
  ['Persistence:IAMUser/AnomalousBehavior', 'CreateAccessKey', 'iam.amazonaws.com'],
  ['Policy:IAMUser/RootCredentialUsage', 'GetAccountSummary', 'iam.amazonaws.com'],
  ['Stealth:IAMUser/CloudTrailLoggingDisabled', 'StopLogging', 'cloudtrail.amazonaws.com'],
  ['CredentialAccess:IAMUser/AnomalousBehavior', 'GetSecretValue', 'secretsmanager.amazonaws.com'],
];
const EC2_FINDING_TYPES: readonly string[] = [
  'UnauthorizedAccess:EC2/SSHBruteForce',
  'Recon:EC2/PortProbeUnprotectedPort',
  'CryptoCurrency:EC2/BitcoinTool.B!DNS',
  'Backdoor:EC2/C&CActivity.B!DNS',
  'Trojan:EC2/DNSDataExfiltration',
];

/** Severity bands: Low 1.0–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–9.9. */
function severity(rng: Rng): number {
  const r = rng();
  const [lo, hi] = r < 0.4 ? [1, 3.9] : r < 0.78 ? [4, 6.9] : r < 0.97 ? [7, 8.9] : [9, 9.9];
  return Math.round((lo + rng() * (hi - lo)) * 10) / 10;
}

function ipFrom(rng: Rng): string {
  return pick(rng, ['198.51.100', '203.0.113', '192.0.2'] as const) + '.' + randInt(rng, 1, 254);
}

function remote(ip: string, rng: Rng): Record<string, unknown> {
  const [cc, cn, city, lat, lon] = pick(rng, [
    ['NL', 'Netherlands', 'Amsterdam', 52.37, 4.89],
    ['US', 'United States', 'Ashburn', 39.04, -77.49],
    ['DE', 'Germany', 'Frankfurt am Main', 50.11, 8.68],
    ['BR', 'Brazil', 'Sao Paulo', -23.55, -46.63],
    ['SG', 'Singapore', 'Singapore', 1.29, 103.85],
  ] as const);
  const asn = String(64496 + randInt(rng, 0, 14));
  return {
    ipAddressV4: ip, city: { cityName: city }, country: { countryCode: cc, countryName: cn }, geoLocation: { lat, lon },
    organization: { asn, asnOrg: `EXAMPLE-AS${asn}`, isp: `Example ISP ${asn}`, org: `Example Org ${asn}` },
  };
}

/** FNV-1a, for deriving per-region seeds. */
function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function buildLarge(nowDate: Date, p: LargeParams): World {
  if (!Number.isInteger(p.findings) || p.findings < 0) throw new Error('large: findings must be a non-negative integer');
  if (!Number.isInteger(p.users) || p.users < 1) throw new Error('large: users must be a positive integer');
  if (!Number.isInteger(p.eventsPerKey) || p.eventsPerKey < 0) throw new Error('large: eventsPerKey must be a non-negative integer');
  if (p.regions.length === 0) throw new Error('large: regions must not be empty');
  const regionsList = [...new Set(p.regions.includes(p.detectorRegion) ? p.regions : [...p.regions, p.detectorRegion])];

  const now = nowDate.getTime();
  const rng = prng(p.seed * 2654435761 + 12345);

  // --- principals -------------------------------------------------------------------------------------------------
  const principals: Principal[] = [];
  for (let i = 0; i < p.users; i++) {
    if (i === 0) {
      principals.push({ userName: LARGE.busy.userName, userId: LARGE.busy.userId, accessKeyId: LARGE.busy.accessKeyId, arn: `arn:aws:iam::${ACCT}:user/${LARGE.busy.userName}` });
      continue;
    }
    const userName = `${pick(rng, NAME_PREFIXES)}-${pick(rng, NAME_WORDS)}-${String(i).padStart(3, '0')}`;
    principals.push({ userName, userId: awsId(rng, 'AIDA'), accessKeyId: awsId(rng, 'AKIA', 20), arn: `arn:aws:iam::${ACCT}:user/${userName}` });
  }

  // --- events ---------------------------------------------------------------------------------------------------------
  const events: Record<string, CloudTrailRecord[]> = Object.fromEntries(regionsList.map((r) => [r, [] as CloudTrailRecord[]]));
  const windowMs = LARGE.eventsWindowHours * HOUR;
  const windowStart = now - windowMs;
  const busy = principals[0] as Principal;
  const busyIdentity = { type: 'IAMUser', principalId: busy.userId, arn: busy.arn, accountId: ACCT, accessKeyId: busy.accessKeyId, userName: busy.userName };
  const busyCalls: ReadonlyArray<[string, string]> = [
    ['ssm', 'GetParameters'], ['ssm', 'GetParameter'], ['s3', 'ListBuckets'], ['ec2', 'DescribeInstances'], ['dynamodb', 'DescribeTable'], ['sqs', 'ListQueues'],
  ];
  let busyLast = 0;
  const step = p.eventsPerKey > 0 ? windowMs / p.eventsPerKey : 0;
  for (let i = 0; i < p.eventsPerKey; i++) {
    const region = regionsList[i % regionsList.length] as string;
    const at = Math.min(now - 1000, windowStart + Math.floor((i + rng() * 0.9) * step));
    busyLast = Math.max(busyLast, at);
    const [service, name] = busyCalls[i % busyCalls.length] as [string, string];
    const denied = service === 'dynamodb' && rng() < 0.5;
    const ev = ctEvent(rng, ACCT, {
      at, region, service, name, ip: LARGE.busy.ip, userAgent: LARGE.busy.userAgent, identity: busyIdentity, readOnly: true,
      request: service === 'ssm' ? (name === 'GetParameters' ? { names: ['/etl/db-url', '/etl/api-token'], withDecryption: true } : { name: '/etl/batch-size' })
        : service === 'dynamodb' ? { tableName: 'etl-checkpoints' } : null,
      error: denied ? { code: 'AccessDeniedException', message: deniedMessage(busy.arn, 'dynamodb:DescribeTable', `arn:aws:dynamodb:${region}:${ACCT}:table/etl-checkpoints`) } : undefined,
    });
    (events[region] as CloudTrailRecord[]).push(ev);
  }
  const noiseCalls: ReadonlyArray<[string, string]> = [['s3', 'ListBuckets'], ['ec2', 'DescribeInstances'], ['ssm', 'DescribeParameters'], ['logs', 'DescribeLogGroups']];
  const lastUsedByKey = new Map<string, { at: number; service: string; region: string }>();
  lastUsedByKey.set(busy.accessKeyId, { at: busyLast, service: 'ssm', region: regionsList[(p.eventsPerKey - 1) % regionsList.length] as string });
  for (const u of principals.slice(1)) {
    const ip = ipFrom(rng);
    for (let k = 0; k < LARGE.noiseEventsPerUser; k++) {
      const region = pick(rng, regionsList);
      const at = windowStart + Math.floor(rng() * (windowMs - 1000));
      const [service, name] = pick(rng, noiseCalls);
      const prev = lastUsedByKey.get(u.accessKeyId);
      if (!prev || prev.at < at) lastUsedByKey.set(u.accessKeyId, { at, service, region });
      (events[region] as CloudTrailRecord[]).push(ctEvent(rng, ACCT, {
        at, region, service, name, ip, userAgent: 'aws-cli/2.17.0 Python/3.12.4 Linux/6.1 exe/x86_64', readOnly: true, request: null,
        identity: { type: 'IAMUser', principalId: u.userId, arn: u.arn, accountId: ACCT, accessKeyId: u.accessKeyId, userName: u.userName },
      }));
    }
  }

  // --- findings ----------------------------------------------------------------------------------------------------
  const det = (r: string): string => (r === 'us-west-2' ? (WORKSHOP.detectors['us-west-2'] as string) : `${hex(prng(p.seed ^ strHash(r)), 28)}exmp`);
  const detectorIds: Record<string, string> = Object.fromEntries(regionsList.map((r) => [r, det(r)]));
  const detectorId = detectorIds[p.detectorRegion] as string;
  const findings: GuardDutyFinding[] = [];
  const ids = new Set<string>();
  for (let i = 0; i < p.findings; i++) {
    let id: string;
    if (i === 0) id = LARGE.busyFindingId;
    else do id = hex(rng, 32); while (ids.has(id));
    ids.add(id);
    const u = i === 0 ? busy : pick(rng, principals);
    const updatedAt = i === 0 ? (busyLast > 0 ? Math.min(now, busyLast + 30_000) : now - HOUR) : now - Math.floor(rng() * 90 * DAY);
    const span = Math.floor(rng() * 2 * DAY);
    const lastSeen = Math.max(updatedAt - Math.floor(rng() * 10 * MINUTE), updatedAt - DAY);
    const firstSeen = lastSeen - span;
    const createdAt = Math.min(updatedAt, firstSeen + 5 * MINUTE + Math.floor(rng() * 10 * MINUTE));
    const count = 1 + Math.floor(rng() * rng() * 500);
    const archived = i !== 0 && rng() < 0.1;
    const sev = i === 0 ? 5 : severity(rng);
    const ip = ipFrom(rng);
    if (i === 0 || rng() < 0.75) {
      const [type, api, svc] = i === 0 ? (IAM_FINDING_TYPES[0] as [string, string, string]) : pick(rng, IAM_FINDING_TYPES);
      const custom = type.endsWith('.Custom');
      findings.push(finding({
        id, type, severity: sev, accountId: ACCT, region: p.detectorRegion, detectorId,
        title: `API ${api} was invoked ${custom ? 'from an IP address on a custom threat list' : 'under unusual circumstances'}.`,
        description: `API ${api} was invoked by IAM user ${u.userName} from IP address ${ip}${custom ? ` on the custom threat list ${LARGE.threatListName}` : ''}.`,
        resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: u.accessKeyId, principalId: u.userId, userName: u.userName, userType: 'IAMUser' } },
        action: { actionType: 'AWS_API_CALL', awsApiCallAction: { api, serviceName: svc, callerType: 'Remote IP', userAgent: 'aws-cli/2.17.0 Python/3.12.4', remoteIpDetails: remote(ip, rng), affectedResources: {} } },
        evidence: custom ? { threatIntelligenceDetails: [{ threatListName: LARGE.threatListName, threatNames: [] }] } : undefined,
        additionalInfo: custom ? { threatListName: LARGE.threatListName } : {},
        archived, count, firstSeen, lastSeen, createdAt, updatedAt,
      }));
    } else {
      const type = pick(rng, EC2_FINDING_TYPES);
      const instanceId = `i-0${hex(rng, 16)}`;
      findings.push(finding({
        id, type, severity: sev, accountId: ACCT, region: p.detectorRegion, detectorId,
        title: `EC2 instance ${instanceId} ${type.includes('DNS') ? 'is querying a suspicious domain name' : 'is involved in suspicious network activity'}.`,
        description: `EC2 instance ${instanceId} was involved in activity matching ${type} with remote host ${ip}.`,
        resource: {
          resourceType: 'Instance',
          instanceDetails: {
            instanceId, instanceType: pick(rng, ['t3.micro', 'm5.large', 'c6i.xlarge'] as const), instanceState: 'running',
            availabilityZone: `${p.detectorRegion}a`, tags: [{ key: 'Name', value: `large-${i}` }],
            networkInterfaces: [{ privateIpAddress: `10.0.${randInt(rng, 0, 255)}.${randInt(rng, 1, 254)}`, publicIp: ipFrom(rng) }],
          },
        },
        action: type.includes('DNS')
          ? { actionType: 'DNS_REQUEST', dnsRequestAction: { domain: `x${hex(rng, 6)}.example.net`, protocol: 'UDP', blocked: false } }
          : { actionType: 'NETWORK_CONNECTION', networkConnectionAction: { connectionDirection: 'INBOUND', protocol: 'TCP', blocked: false, localPortDetails: { port: 22, portName: 'SSH' }, remoteIpDetails: remote(ip, rng) } },
        resourceRole: type.startsWith('UnauthorizedAccess') ? 'TARGET' : 'ACTOR',
        archived, count, firstSeen, lastSeen, createdAt, updatedAt,
      }));
    }
  }

  // --- IAM ---------------------------------------------------------------------------------------------------------
  const users: Record<string, IamUser> = {};
  const accessKeys: Record<string, AccessKey> = {};
  principals.forEach((u, i) => {
    const created = now - (100 + randInt(rng, 0, 600)) * DAY;
    const svc = i === 0 ? 'ssm' : pick(rng, ['s3', 'ec2', 'ssm', 'logs', 'dynamodb'] as const);
    users[u.userName] = {
      userName: u.userName, userId: u.userId, path: '/', arn: u.arn, createDate: isoSec(created),
      tags: [{ Key: 'Team', Value: pick(rng, NAME_WORDS) }],
      inlinePolicies: {
        [i === 0 ? LARGE.busy.inlinePolicyName : `${u.userName}-inline`]: policyDoc([
          { Effect: 'Allow', Action: i === 0 ? ['ssm:GetParameter', 'ssm:GetParameters', 's3:ListAllMyBuckets', 'ec2:DescribeInstances', 'sqs:ListQueues'] : [`${svc}:Get*`, `${svc}:List*`, `${svc}:Describe*`], Resource: '*' },
        ]),
      },
      attachedPolicyArns: [],
      groups: [],
    };
    const last = lastUsedByKey.get(u.accessKeyId);
    const key: AccessKey = {
      accessKeyId: u.accessKeyId, secretAccessKey: i === 0 ? LARGE.busy.secretAccessKey : `sandbox/large/${u.userName}/not-a-real-key`,
      userName: u.userName, status: 'Active', createDate: isoSec(created + 10 * DAY),
    };
    if (last) key.lastUsed = { date: isoSec(last.at), serviceName: last.service, region: last.region };
    accessKeys[u.accessKeyId] = key;
  });
  // The sandbox analyst (same credentials as the workshop, so `--sandbox` works on any scenario).
  const a = WORKSHOP.analyst;
  users[a.userName] = {
    userName: a.userName, userId: a.userId, path: '/security/', arn: `arn:aws:iam::${ACCT}:user/${a.userName}`, createDate: isoSec(now - 300 * DAY),
    tags: [{ Key: 'Team', Value: 'incident-response' }],
    inlinePolicies: {
      'ir-analyst-investigate-contain': policyDoc([
        {
          Effect: 'Allow',
          Action: ['guardduty:Get*', 'guardduty:List*', 'guardduty:ArchiveFindings', 'cloudtrail:LookupEvents', 'iam:Get*', 'iam:List*',
            'iam:UpdateAccessKey', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy', 'sts:GetCallerIdentity'],
          Resource: '*',
        },
      ]),
    },
    attachedPolicyArns: [],
    groups: [],
  };
  accessKeys[a.accessKeyId] = { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey, userName: a.userName, status: 'Active', createDate: isoSec(now - 90 * DAY) };

  const regions: Record<string, RegionData> = {};
  for (const r of regionsList) {
    regions[r] = {
      ...emptyRegion(),
      detector: {
        detectorId: detectorIds[r] as string, createdAt: iso(now - 400 * DAY), updatedAt: iso(now - 40 * DAY), status: 'ENABLED',
        findingPublishingFrequency: 'SIX_HOURS', tags: {},
      },
      findings: r === p.detectorRegion ? findings : [],
      events: (events[r] as CloudTrailRecord[]).sort((x, y) => (x.eventTime < y.eventTime ? -1 : x.eventTime > y.eventTime ? 1 : 0)),
    };
  }

  return { scenario: 'large', anchor: iso(now), accountId: ACCT, regions, iam: { users, groups: {}, roles: {}, managedPolicies: {}, accessKeys, sessions: {} } };
}
