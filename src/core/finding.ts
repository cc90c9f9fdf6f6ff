/**
 * The GuardDuty finding model. Pure: no I/O.
 *
 * A finding arrives in one of two casings: the SDK / AWS CLI form (`Service.Action.AwsApiCallAction`, members in
 * PascalCase) or the wire / EventBridge / console-export form (`service.action.awsApiCallAction`, lowerCamel).
 * `normalizeFinding` turns either into one lowerCamel form; `toFindingSummary` and `toFindingDetail` derive the
 * views every command shares (findings, trail, investigate, remediate, triage).
 */
import { UsageError } from './errors.js';
import { parseFindingType } from './finding-types.js';
import { severityLabel, type SeverityLabel } from './severity.js';

export type JsonObject = Record<string, unknown>;

/** A finding in one casing (lowerCamel, as on the wire) with the fields every view needs pulled out. */
export interface Finding {
  id: string;
  type: string;
  severity: number;
  title: string;
  description: string;
  accountId: string;
  region: string;
  arn: string;
  partition: string;
  createdAt: string;
  updatedAt: string;
  resource: JsonObject;
  service: JsonObject;
  /** `service.additionalInfo` with its JSON `value` string merged in (flattened keys win). */
  additionalInfo: JsonObject;
  /** The object exactly as it was received (SDK output or file contents). */
  raw: unknown;
}

export interface FindingPrincipal {
  userName: string | null;
  userType: string | null;
  accessKeyId: string | null;
  principalId: string | null;
}

export interface FindingSummary {
  id: string;
  type: string;
  severity: number;
  severityLabel: SeverityLabel;
  title: string;
  accountId: string;
  region: string;
  resourceType: string | null;
  principal: FindingPrincipal | null;
  instanceId: string | null;
  remoteIp: string | null;
  threatListName: string | null;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  sample: boolean;
}

export interface FindingAction {
  actionType: string | null;
  api: string | null;
  serviceName: string | null;
  callerType: string | null;
  errorCode: string | null;
  userAgent: string | null;
  /** DNS_REQUEST: the domain queried. */
  domain: string | null;
  /** NETWORK_CONNECTION / PORT_PROBE. */
  connectionDirection: string | null;
  protocol: string | null;
  localPort: number | null;
  remotePort: number | null;
  blocked: boolean | null;
  /** KUBERNETES_API_CALL. */
  verb: string | null;
  requestUri: string | null;
}

export interface FindingActor {
  ipAddress: string | null;
  city: string | null;
  country: string | null;
  countryCode: string | null;
  asn: string | null;
  asnOrg: string | null;
  isp: string | null;
  org: string | null;
  geoLocation: { lat: number; lon: number } | null;
}

export interface ThreatIntelDetail {
  threatListName: string | null;
  threatNames: string[];
  threatFileSha256: string | null;
}

export interface FindingThreatIntel {
  threatListName: string | null;
  threatNames: string[];
  /** Where the names came from: `evidence` (threatIntelligenceDetails) or `additionalInfo`. */
  source: 'evidence' | 'additionalInfo' | null;
  details: ThreatIntelDetail[];
}

export interface FindingInstance {
  instanceId: string | null;
  name: string | null;
  instanceType: string | null;
  instanceState: string | null;
  availabilityZone: string | null;
  imageId: string | null;
  launchTime: string | null;
  iamInstanceProfileArn: string | null;
  publicIps: string[];
  privateIps: string[];
  vpcId: string | null;
  subnetId: string | null;
  securityGroups: string[];
  tags: Array<{ key: string; value: string }>;
}

export interface FindingBucket {
  name: string | null;
  arn: string | null;
  type: string | null;
  effectivePermission: string | null;
}

export interface FindingCluster {
  name: string | null;
  arn: string | null;
  vpcId: string | null;
  status: string | null;
}

export interface FindingResource {
  resourceType: string | null;
  resourceRole: string | null;
  accessKey: FindingPrincipal | null;
  instance: FindingInstance | null;
  s3Buckets: FindingBucket[];
  eksCluster: FindingCluster | null;
  kubernetesUser: { username: string | null; groups: string[] } | null;
}

export interface DataSource {
  /** e.g. "CloudTrail management events"; "unknown" when the type family is not one we can place. */
  name: string;
  /** Where an analyst looks next for the raw activity behind the finding. */
  checkNext: string | null;
}

export interface TypeExplained {
  threatPurpose: string | null;
  resourceType: string | null;
  family: string | null;
  /** "UnauthorizedAccess — an IAMUser — MaliciousIPCaller.Custom: API called from an IP on your custom threat list". */
  text: string;
}

export interface FindingDetail extends FindingSummary {
  description: string;
  arn: string;
  detectorId: string | null;
  dataSource: DataSource;
  typeExplained: TypeExplained;
  action: FindingAction;
  actor: FindingActor | null;
  threatIntel: FindingThreatIntel;
  resource: FindingResource;
  resourceRole: string | null;
  raw: unknown;
}

// -------------------------------------------------------------------------------------------------------------
// Normalisation

/** Model members whose wire name is not the member name with a lower-case first letter (botocore guardduty). */
const RENAMED: Record<string, string> = {
  Latitude: 'lat',
  Longitude: 'lon',
  Code: 'productCodeId',
  ProductType: 'productCodeType',
  SourceIps: 'sourceIps',
  sourceIPs: 'sourceIps',
  IamInstanceProfile: 'iamInstanceProfile',
  LoginAttributes: 'loginAttributes',
};

/** Members that are maps: their keys are data (`AWS::S3::Bucket`), not member names, and stay as they are. */
const MAP_MEMBERS = new Set(['affectedResources', 'behavior', 'profiles', 'countBySeverity']);

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function camelKey(key: string): string {
  const renamed = RENAMED[key];
  if (renamed) return renamed;
  return /^[A-Z][A-Za-z0-9]*$/.test(key) ? key[0]?.toLowerCase() + key.slice(1) : key;
}

/** Deep copy with member names in lowerCamel; Dates (SDK timestamps) become ISO strings. */
export function toLowerCamel(value: unknown, keepKeys = false): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toLowerCamel(v));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    const key = keepKeys ? k : camelKey(k);
    out[key] = toLowerCamel(v, MAP_MEMBERS.has(key));
  }
  return out;
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function obj(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

/** Reads a dotted path from a lowerCamel object. */
export function at(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const seg of path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** additionalInfo: flattened keys (real wire), `value` (a JSON string, the only part the SDK keeps), or an old plain object. */
function readAdditionalInfo(service: JsonObject): JsonObject {
  const info = service.additionalInfo;
  if (!isObject(info)) return {};
  let parsed: JsonObject = {};
  if (typeof info.value === 'string' && info.value.length <= 1_000_000) {
    try {
      const v: unknown = JSON.parse(info.value);
      if (isObject(v)) parsed = toLowerCamel(v) as JsonObject;
    } catch {
      /* a malformed value is ignored: the rest of the finding is still worth showing */
    }
  }
  const flattened: JsonObject = {};
  for (const [k, v] of Object.entries(info)) if (k !== 'value' && k !== 'type') flattened[k] = v;
  return { ...parsed, ...flattened };
}

/**
 * Normalises a finding in either casing. Throws UsageError when the object is not a finding at all
 * (no string id/type or no numeric severity), which is what file input needs.
 */
export function normalizeFinding(raw: unknown, where = 'finding'): Finding {
  if (!isObject(raw)) throw new UsageError(`${where} is not a GuardDuty finding: expected a JSON object`);
  const f = toLowerCamel(raw) as JsonObject;
  const id = f.id;
  const type = f.type;
  const severity = num(f.severity);
  if (typeof id !== 'string' || id === '') throw new UsageError(`${where} is not a GuardDuty finding: it has no "id"`);
  if (typeof type !== 'string' || type === '') throw new UsageError(`${where} is not a GuardDuty finding: it has no "type"`);
  if (severity === null) throw new UsageError(`${where} is not a GuardDuty finding: it has no numeric "severity"`);
  const service = obj(f.service);
  return {
    id,
    type,
    severity,
    title: str(f.title) ?? '',
    description: str(f.description) ?? '',
    accountId: str(f.accountId) ?? '',
    region: str(f.region) ?? '',
    arn: str(f.arn) ?? '',
    partition: str(f.partition) ?? '',
    createdAt: str(f.createdAt) ?? '',
    updatedAt: str(f.updatedAt) ?? '',
    resource: obj(f.resource),
    service,
    additionalInfo: readAdditionalInfo(service),
    raw,
  };
}

// -------------------------------------------------------------------------------------------------------------
// Derived views

export function findingPrincipal(f: Finding): FindingPrincipal | null {
  const ak = f.resource.accessKeyDetails;
  if (!isObject(ak)) return null;
  const p: FindingPrincipal = {
    userName: str(ak.userName),
    userType: str(ak.userType),
    accessKeyId: str(ak.accessKeyId),
    principalId: str(ak.principalId),
  };
  return p.userName === null && p.accessKeyId === null && p.principalId === null && p.userType === null ? null : p;
}

/** The action's remote IP details, whichever action kind carries them. */
function remoteIpDetails(f: Finding): JsonObject | null {
  const action = obj(f.service.action);
  const candidates = [
    at(action, 'awsApiCallAction.remoteIpDetails'),
    at(action, 'networkConnectionAction.remoteIpDetails'),
    at(action, 'kubernetesApiCallAction.remoteIpDetails'),
    at(action, 'rdsLoginAttemptAction.remoteIpDetails'),
  ];
  const probes = at(action, 'portProbeAction.portProbeDetails');
  if (Array.isArray(probes)) candidates.push(at(probes[0], 'remoteIpDetails'));
  for (const c of candidates) if (isObject(c)) return c;
  return null;
}

function threatIntel(f: Finding): FindingThreatIntel {
  const ev = at(f.service, 'evidence.threatIntelligenceDetails');
  const details: ThreatIntelDetail[] = Array.isArray(ev)
    ? ev.filter(isObject).map((d) => ({
        threatListName: str(d.threatListName),
        threatNames: Array.isArray(d.threatNames) ? d.threatNames.filter((n): n is string => typeof n === 'string') : [],
        threatFileSha256: str(d.threatFileSha256),
      }))
    : [];
  const first = details.find((d) => d.threatListName !== null) ?? details[0];
  if (first) {
    return { threatListName: first.threatListName, threatNames: [...new Set(details.flatMap((d) => d.threatNames))], source: 'evidence', details };
  }
  const name = str(f.additionalInfo.threatListName);
  const names = Array.isArray(f.additionalInfo.threatNames) ? f.additionalInfo.threatNames.filter((n): n is string => typeof n === 'string') : [];
  if (name !== null || names.length > 0) return { threatListName: name, threatNames: names, source: 'additionalInfo', details: [] };
  return { threatListName: null, threatNames: [], source: null, details: [] };
}

export function isSampleFinding(f: Finding): boolean {
  const s = f.additionalInfo.sample;
  return s === true || s === 'true';
}

export function toFindingSummary(f: Finding): FindingSummary {
  const ip = remoteIpDetails(f);
  return {
    id: f.id,
    type: f.type,
    severity: f.severity,
    severityLabel: severityLabel(f.severity),
    title: f.title,
    accountId: f.accountId,
    region: f.region,
    resourceType: str(f.resource.resourceType),
    principal: findingPrincipal(f),
    instanceId: str(at(f.resource, 'instanceDetails.instanceId')),
    remoteIp: ip ? (str(ip.ipAddressV4) ?? str(ip.ipAddressV6)) : null,
    threatListName: threatIntel(f).threatListName,
    count: num(f.service.count) ?? 0,
    firstSeen: str(f.service.eventFirstSeen),
    lastSeen: str(f.service.eventLastSeen),
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    archived: f.service.archived === true || f.service.archived === 'true',
    sample: isSampleFinding(f),
  };
}

/** What the finding is about, for a one-column view: user name, instance ID, bucket, cluster, function or DB. */
export function findingTarget(f: Finding): string | null {
  const r = f.resource;
  const principal = findingPrincipal(f);
  const buckets = Array.isArray(r.s3BucketDetails) ? r.s3BucketDetails : [];
  const bucket = str(at(buckets[0], 'name'));
  const type = str(r.resourceType);
  if (type === 'S3Bucket' && bucket) return bucket;
  return (
    principal?.userName ??
    principal?.accessKeyId ??
    str(at(r, 'instanceDetails.instanceId')) ??
    bucket ??
    str(at(r, 'eksClusterDetails.name')) ??
    str(at(r, 'ecsClusterDetails.name')) ??
    str(at(r, 'lambdaDetails.functionName')) ??
    str(at(r, 'rdsDbInstanceDetails.dbInstanceIdentifier')) ??
    str(at(r, 'containerDetails.name')) ??
    null
  );
}

function action(f: Finding): FindingAction {
  const a = obj(f.service.action);
  const api = obj(a.awsApiCallAction);
  const net = obj(a.networkConnectionAction);
  const dns = obj(a.dnsRequestAction);
  const k8s = obj(a.kubernetesApiCallAction);
  const probes = at(a, 'portProbeAction.portProbeDetails');
  const probe = Array.isArray(probes) ? obj(probes[0]) : {};
  const blocked = net.blocked ?? dns.blocked ?? at(a, 'portProbeAction.blocked');
  return {
    actionType: str(a.actionType),
    api: str(api.api),
    serviceName: str(api.serviceName),
    callerType: str(api.callerType),
    errorCode: str(api.errorCode),
    userAgent: str(api.userAgent) ?? str(k8s.userAgent) ?? str(at(f.additionalInfo, 'userAgent.fullUserAgent')),
    domain: str(dns.domain) ?? str(at(api, 'domainDetails.domain')),
    connectionDirection: str(net.connectionDirection),
    protocol: str(net.protocol) ?? str(dns.protocol),
    localPort: num(at(net, 'localPortDetails.port')) ?? num(at(probe, 'localPortDetails.port')),
    remotePort: num(at(net, 'remotePortDetails.port')),
    blocked: typeof blocked === 'boolean' ? blocked : null,
    verb: str(k8s.verb),
    requestUri: str(k8s.requestUri),
  };
}

function actor(f: Finding): FindingActor | null {
  const ip = remoteIpDetails(f);
  if (!ip) return null;
  const geo = obj(ip.geoLocation);
  const lat = num(geo.lat);
  const lon = num(geo.lon);
  return {
    ipAddress: str(ip.ipAddressV4) ?? str(ip.ipAddressV6),
    city: str(at(ip, 'city.cityName')),
    country: str(at(ip, 'country.countryName')),
    countryCode: str(at(ip, 'country.countryCode')),
    asn: str(at(ip, 'organization.asn')),
    asnOrg: str(at(ip, 'organization.asnOrg')),
    isp: str(at(ip, 'organization.isp')),
    org: str(at(ip, 'organization.org')),
    geoLocation: lat !== null && lon !== null ? { lat, lon } : null,
  };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function instance(r: JsonObject): FindingInstance | null {
  const d = r.instanceDetails;
  if (!isObject(d)) return null;
  const tags = (Array.isArray(d.tags) ? d.tags : [])
    .filter(isObject)
    .map((t) => ({ key: str(t.key) ?? '', value: str(t.value) ?? '' }));
  const nics = (Array.isArray(d.networkInterfaces) ? d.networkInterfaces : []).filter(isObject);
  const publicIps = nics.map((n) => str(n.publicIp)).filter((x): x is string => x !== null);
  const privateIps = nics.map((n) => str(n.privateIpAddress)).filter((x): x is string => x !== null);
  const groups = nics.flatMap((n) => (Array.isArray(n.securityGroups) ? n.securityGroups : [])).filter(isObject);
  return {
    instanceId: str(d.instanceId),
    name: tags.find((t) => t.key === 'Name')?.value ?? null,
    instanceType: str(d.instanceType),
    instanceState: str(d.instanceState),
    availabilityZone: str(d.availabilityZone),
    imageId: str(d.imageId),
    launchTime: str(d.launchTime),
    iamInstanceProfileArn: str(at(d, 'iamInstanceProfile.arn')),
    publicIps: [...new Set(publicIps)],
    privateIps: [...new Set(privateIps)],
    vpcId: str(nics[0]?.vpcId),
    subnetId: str(nics[0]?.subnetId),
    securityGroups: [...new Set(groups.map((g) => str(g.groupName) ?? str(g.groupId)).filter((x): x is string => x !== null))],
    tags,
  };
}

function resource(f: Finding): FindingResource {
  const r = f.resource;
  const buckets = (Array.isArray(r.s3BucketDetails) ? r.s3BucketDetails : []).filter(isObject).map((b) => ({
    name: str(b.name),
    arn: str(b.arn),
    type: str(b.type),
    effectivePermission: str(at(b, 'publicAccess.effectivePermission')),
  }));
  const eks = r.eksClusterDetails;
  const k8sUser = at(r, 'kubernetesDetails.kubernetesUserDetails');
  return {
    resourceType: str(r.resourceType),
    resourceRole: str(f.service.resourceRole),
    accessKey: findingPrincipal(f),
    instance: instance(r),
    s3Buckets: buckets,
    eksCluster: isObject(eks) ? { name: str(eks.name), arn: str(eks.arn), vpcId: str(eks.vpcId), status: str(eks.status) } : null,
    kubernetesUser: isObject(k8sUser) ? { username: str(k8sUser.username), groups: strings(k8sUser.groups) } : null,
  };
}

// -------------------------------------------------------------------------------------------------------------
// Data sources and type explanations (documented data; investigate reuses the checkNext hints)

export const DATA_SOURCES = {
  managementEvents: {
    name: 'CloudTrail management events',
    checkNext: "CloudTrail event history for the access key or principal (gd-ir trail --key …); global services' events are in us-east-1",
  },
  s3DataEvents: {
    name: 'CloudTrail S3 data events',
    checkNext: 'a trail or CloudTrail Lake event data store that records S3 data events (they are not in event history)',
  },
  vpcFlowLogs: {
    name: 'VPC flow logs',
    checkNext: "the instance's VPC flow logs (if you publish them) and its security groups; GuardDuty reads its own copy",
  },
  dnsLogs: {
    name: 'DNS logs',
    checkNext: 'Route 53 Resolver query logs for the VPC (if enabled); the instance used the AWS DNS resolver',
  },
  eksAuditLogs: {
    name: 'EKS audit logs',
    checkNext: "the cluster's control-plane audit logs in CloudWatch Logs (/aws/eks/<cluster>/cluster), if audit logging is on",
  },
  runtime: {
    name: 'Runtime monitoring',
    checkNext: "the finding's process, file and network details (runtimeDetails) from the GuardDuty security agent",
  },
  malwareScan: {
    name: 'Malware Protection scan',
    checkNext: 'the scan results (ebsVolumeScanDetails / malwareScanDetails) and the snapshot GuardDuty kept',
  },
  rdsLoginActivity: {
    name: 'RDS login activity',
    checkNext: "the database's own login logs (e.g. Aurora audit logs in CloudWatch Logs)",
  },
  lambdaNetworkActivity: {
    name: 'Lambda network activity',
    checkNext: "the function's recent invocations and its VPC configuration",
  },
  attackSequence: {
    name: 'Multiple sources (attack sequence)',
    checkNext: 'the signals listed in the attack sequence (service.detection.sequence); each names its own source',
  },
  unknown: { name: 'unknown', checkNext: null },
} as const satisfies Record<string, DataSource>;

/** EC2 families GuardDuty detects from DNS logs although their names carry no `!DNS` artifact. */
const EC2_DNS_FAMILIES = new Set([
  'DNSDataExfiltration',
  'DGADomainRequest.B',
  'MetadataDNSRebind',
  'AbusedDomainRequest.Reputation',
  'BitcoinDomainRequest.Reputation',
  'MaliciousDomainRequest.Reputation',
  'MaliciousDomainRequest.Custom',
  'SuspiciousDomainRequest.Reputation',
]);

/**
 * The data source GuardDuty used for a finding type, from its family (the finding itself carries no such
 * field). Rules follow the "foundational data source / feature" column of GuardDuty's finding-types table.
 */
export function dataSourceFor(type: string): DataSource {
  const parts = parseFindingType(type);
  if (!parts) return DATA_SOURCES.unknown;
  const { threatPurpose, resourceType, family } = parts;
  if (threatPurpose === 'AttackSequence') return DATA_SOURCES.attackSequence;
  if (/^(Malicious|Suspicious)File/.test(family)) return DATA_SOURCES.malwareScan;
  switch (resourceType) {
    case 'IAMUser':
      return DATA_SOURCES.managementEvents;
    case 'Runtime':
      return DATA_SOURCES.runtime;
    case 'Kubernetes':
      return DATA_SOURCES.eksAuditLogs;
    case 'S3':
      if (threatPurpose === 'Policy' || threatPurpose === 'Stealth') return DATA_SOURCES.managementEvents;
      return DATA_SOURCES.s3DataEvents;
    case 'EC2':
      if (family.endsWith('!DNS') || EC2_DNS_FAMILIES.has(family)) return DATA_SOURCES.dnsLogs;
      return DATA_SOURCES.vpcFlowLogs;
    case 'RDS':
      return DATA_SOURCES.rdsLoginActivity;
    case 'Lambda':
      return DATA_SOURCES.lambdaNetworkActivity;
    default:
      return DATA_SOURCES.unknown;
  }
}

const PURPOSES: Record<string, string> = {
  AttackSequence: 'a multi-stage attack correlated across signals',
  Backdoor: 'a resource compromised to contact an attacker',
  Behavior: 'activity that differs from the established baseline',
  CredentialAccess: 'an attempt to obtain credentials or secrets',
  CryptoCurrency: 'cryptocurrency activity (often mining)',
  DefenseEvasion: 'an attempt to avoid detection',
  Discovery: 'an attempt to learn about the environment',
  Execution: 'code or commands being run',
  Exfiltration: 'data being taken out',
  Impact: 'an attempt to disrupt, destroy or abuse resources',
  InitialAccess: 'an attempt to get a foothold',
  Object: 'a malicious object',
  PenTest: 'activity from penetration-testing tools',
  Persistence: 'an attempt to keep access',
  Policy: 'behaviour against security best practice',
  PrivilegeEscalation: 'an attempt to gain higher permissions',
  Recon: 'reconnaissance before an attack',
  Stealth: 'an attempt to hide activity or weaken logging',
  Trojan: 'a resource running a trojan',
  UnauthorizedAccess: 'access by someone who should not have it',
};

const FAMILIES: ReadonlyArray<[RegExp, string]> = [
  [/^MaliciousIPCaller\.Custom$/, 'API called from an IP on your custom threat list'],
  [/^MaliciousIPCaller/, 'API called from an IP on a threat intelligence list'],
  [/^TorIPCaller/, 'API called from a Tor exit node'],
  [/^AnomalousBehavior/, 'APIs invoked in a way unusual for this principal'],
  [/^InstanceCredentialExfiltration\.OutsideAWS$/, "an instance role's credentials used from outside AWS"],
  [/^InstanceCredentialExfiltration\.InsideAWS$/, "an instance role's credentials used from another AWS account"],
  [/^(KaliLinux|ParrotLinux|PentooLinux)$/, 'API called from a penetration-testing Linux distribution'],
  [/^RootCredentialUsage$/, 'the root user’s credentials were used'],
  [/^ShortTermRootCredentialUsage$/, 'short-term root credentials were used'],
  [/^CloudTrailLoggingDisabled$/, 'a CloudTrail trail was stopped or deleted'],
  [/^PasswordPolicyChange$/, 'the account password policy was weakened'],
  [/^ConsoleLoginSuccess/, 'unusual successful console sign-ins'],
  [/^SSHBruteForce$/, 'SSH brute-force attempts'],
  [/^RDPBruteForce$/, 'RDP brute-force attempts'],
  [/^BitcoinTool/, 'traffic to Bitcoin-related hosts'],
  [/^PortProbe/, 'an unprotected port is being probed'],
  [/^Portscan$/, 'outbound port scanning'],
  [/^SuccessfulAnonymousAccess$/, 'an API call by an unauthenticated user succeeded'],
  [/^BucketBlockPublicAccessDisabled$/, 'S3 Block Public Access was turned off for a bucket'],
  [/^C&CActivity/, 'traffic to a command-and-control server'],
  [/^DNSDataExfiltration$/, 'data exfiltrated through DNS queries'],
  [/^TorClient$/, 'connections to Tor'],
  [/^TorRelay$/, 'acting as a Tor relay'],
];

export function explainFindingType(type: string): TypeExplained {
  const parts = parseFindingType(type);
  if (!parts) return { threatPurpose: null, resourceType: null, family: null, text: type };
  const family = FAMILIES.find(([re]) => re.test(parts.family))?.[1];
  const purpose = PURPOSES[parts.threatPurpose];
  const article = /^[AEIOU]/.test(parts.resourceType) ? 'an' : 'a';
  let text = `${parts.threatPurpose} — ${article} ${parts.resourceType} — ${parts.family}`;
  if (family) text += `: ${family}`;
  else if (purpose) text += `: ${purpose}`;
  return { threatPurpose: parts.threatPurpose, resourceType: parts.resourceType, family: parts.family, text };
}

export function toFindingDetail(f: Finding): FindingDetail {
  return {
    ...toFindingSummary(f),
    description: f.description,
    arn: f.arn,
    detectorId: str(f.service.detectorId),
    dataSource: dataSourceFor(f.type),
    typeExplained: explainFindingType(f.type),
    action: action(f),
    actor: actor(f),
    threatIntel: threatIntel(f),
    resource: resource(f),
    resourceRole: str(f.service.resourceRole),
    raw: f.raw,
  };
}

// -------------------------------------------------------------------------------------------------------------
// Ordering

export type FindingSort = 'severity' | 'updated' | 'count';
export const FINDING_SORTS: readonly FindingSort[] = ['severity', 'updated', 'count'];

function time(s: string | null): number {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

/**
 * Final order of a list: `severity` = severity desc, then last seen desc; `updated` = updatedAt desc, then severity;
 * `count` = count desc, then severity. Ties end on the ID so the order is total (stable output, golden tests).
 */
export function compareFindings(sort: FindingSort): (a: FindingSummary, b: FindingSummary) => number {
  const bySeverity = (a: FindingSummary, b: FindingSummary): number => b.severity - a.severity;
  const byLastSeen = (a: FindingSummary, b: FindingSummary): number => time(b.lastSeen ?? b.updatedAt) - time(a.lastSeen ?? a.updatedAt);
  const byId = (a: FindingSummary, b: FindingSummary): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const chain = (...fns: Array<(a: FindingSummary, b: FindingSummary) => number>) => (a: FindingSummary, b: FindingSummary): number => {
    for (const fn of fns) {
      const c = fn(a, b);
      if (c !== 0) return c;
    }
    return 0;
  };
  switch (sort) {
    case 'updated':
      return chain((a, b) => time(b.updatedAt) - time(a.updatedAt), bySeverity, byId);
    case 'count':
      return chain((a, b) => b.count - a.count, bySeverity, byLastSeen, byId);
    default:
      return chain(bySeverity, byLastSeen, byId);
  }
}

/** A row of a findings list: the summary plus the one-column "principal or resource" label. */
export interface FindingListItem {
  summary: FindingSummary;
  target: string | null;
}

export function toFindingListItem(f: Finding): FindingListItem {
  return { summary: toFindingSummary(f), target: findingTarget(f) };
}
