/** The views every command shares: principal, summary, detail (action, actor, threat intel, resource). */
import { severityLabel } from '../severity.js';
import { dataSourceFor, explainFindingType } from './explain.js';
import type {
  Finding,
  FindingAction,
  FindingActor,
  FindingDetail,
  FindingInstance,
  FindingPrincipal,
  FindingResource,
  FindingSummary,
  FindingThreatIntel,
  JsonObject,
  ThreatIntelDetail,
} from './model.js';
import { at, isObject, num, obj, str } from './read.js';
import { findingRuntime } from './runtime.js';


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
    runtime: findingRuntime(f.service, f.resource),
    raw: f.raw,
  };
}

