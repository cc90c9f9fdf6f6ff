/**
 * The GuardDuty finding model: one lowerCamel form whatever casing it arrived in, and the views every
 * command shares (summary, detail, list item). Types only; the modules beside this one build them.
 */
import type { SeverityLabel } from '../severity.js';

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
  /** Runtime Monitoring: service.runtimeDetails and resource.containerDetails (runtime.ts); null when absent. */
  runtime: FindingRuntime | null;
  raw: unknown;
}

export type FindingSort = 'severity' | 'updated' | 'count';
export const FINDING_SORTS: readonly FindingSort[] = ['severity', 'updated', 'count'];

// Runtime Monitoring (runtime.ts builds these from service.runtimeDetails and resource.containerDetails).

export interface RuntimeProcess {
  name: string | null;
  executablePath: string | null;
  executableSha256: string | null;
  pid: number | null;
  namespacePid: number | null;
  user: string | null;
  userId: number | null;
  euid: number | null;
  pwd: string | null;
  startTime: string | null;
  uuid: string | null;
  parentUuid: string | null;
}

export interface RuntimeAncestor {
  name: string | null;
  pid: number | null;
  executablePath: string | null;
  userId: number | null;
  startTime: string | null;
}

export interface RuntimeContainer {
  runtime: string | null;
  id: string | null;
  name: string | null;
  image: string | null;
  imagePrefix: string | null;
  privileged: boolean | null;
  allowPrivilegeEscalation: boolean | null;
  volumeMounts: Array<{ name: string | null; mountPath: string | null }>;
}

export interface FindingRuntime {
  process: RuntimeProcess | null;
  /** The process's ancestors, as GuardDuty lists them (parent first). */
  lineage: RuntimeAncestor[];
  /** The RuntimeContext members present, in the model's order, as label and text. */
  context: Array<{ member: string; label: string; value: string }>;
  container: RuntimeContainer | null;
}
