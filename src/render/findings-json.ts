/**
 * The `--json` contracts of `findings list` and `findings show` (docs/json/findings.md). Explicit mappers:
 * a field appears here or nowhere, and the GuardDuty object itself only under `raw`. Values are not sanitised.
 */
import type { AccountAccess } from '../core/access.js';
import { accessJson } from './access-json.js';
import type { FindingDetail, FindingSummary } from '../core/finding/index.js';

export const FINDINGS_SCHEMA_VERSION = 1;

export interface FindingSummaryJson {
  id: string;
  type: string;
  severity: number;
  severityLabel: string;
  title: string;
  accountId: string;
  region: string;
  resourceType: string | null;
  principal: { userName: string | null; userType: string | null; accessKeyId: string | null; principalId: string | null } | null;
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

export function findingSummaryJson(s: FindingSummary): FindingSummaryJson {
  return {
    id: s.id,
    type: s.type,
    severity: s.severity,
    severityLabel: s.severityLabel,
    title: s.title,
    accountId: s.accountId,
    region: s.region,
    resourceType: s.resourceType,
    principal: s.principal
      ? { userName: s.principal.userName, userType: s.principal.userType, accessKeyId: s.principal.accessKeyId, principalId: s.principal.principalId }
      : null,
    instanceId: s.instanceId,
    remoteIp: s.remoteIp,
    threatListName: s.threatListName,
    count: s.count,
    firstSeen: s.firstSeen,
    lastSeen: s.lastSeen,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    archived: s.archived,
    sample: s.sample,
  };
}

/** `findings list --json`: an array of summaries (the contract; see docs/json/findings.md for versioning). */
export function findingsListJson(summaries: readonly FindingSummary[]): FindingSummaryJson[] {
  return summaries.map(findingSummaryJson);
}

/**
 * `findings show --json`: schemaVersion, the summary fields, the detail sections and the untouched finding under
 * `raw`; online, `access` says how gd-ir would reach the finding's account to read and to act.
 */
export function findingDetailJson(d: FindingDetail, access?: { read: AccountAccess; write: AccountAccess }): Record<string, unknown> {
  return {
    schemaVersion: FINDINGS_SCHEMA_VERSION,
    ...findingSummaryJson(d),
    ...(access ? { access: { read: accessJson(access.read), write: accessJson(access.write) } } : {}),
    arn: d.arn,
    detectorId: d.detectorId,
    description: d.description,
    typeExplained: { threatPurpose: d.typeExplained.threatPurpose, resourceType: d.typeExplained.resourceType, family: d.typeExplained.family, text: d.typeExplained.text },
    dataSource: { name: d.dataSource.name, checkNext: d.dataSource.checkNext },
    action: {
      actionType: d.action.actionType,
      api: d.action.api,
      serviceName: d.action.serviceName,
      callerType: d.action.callerType,
      errorCode: d.action.errorCode,
      userAgent: d.action.userAgent,
      domain: d.action.domain,
      connectionDirection: d.action.connectionDirection,
      protocol: d.action.protocol,
      localPort: d.action.localPort,
      remotePort: d.action.remotePort,
      blocked: d.action.blocked,
      verb: d.action.verb,
      requestUri: d.action.requestUri,
    },
    actor: d.actor
      ? {
          ipAddress: d.actor.ipAddress,
          city: d.actor.city,
          country: d.actor.country,
          countryCode: d.actor.countryCode,
          asn: d.actor.asn,
          asnOrg: d.actor.asnOrg,
          isp: d.actor.isp,
          org: d.actor.org,
          geoLocation: d.actor.geoLocation ? { lat: d.actor.geoLocation.lat, lon: d.actor.geoLocation.lon } : null,
        }
      : null,
    threatIntel: {
      threatListName: d.threatIntel.threatListName,
      threatNames: [...d.threatIntel.threatNames],
      source: d.threatIntel.source,
      details: d.threatIntel.details.map((t) => ({ threatListName: t.threatListName, threatNames: [...t.threatNames], threatFileSha256: t.threatFileSha256 })),
    },
    resource: {
      resourceType: d.resource.resourceType,
      resourceRole: d.resource.resourceRole,
      accessKey: d.resource.accessKey ? { ...d.resource.accessKey } : null,
      instance: d.resource.instance
        ? {
            instanceId: d.resource.instance.instanceId,
            name: d.resource.instance.name,
            instanceType: d.resource.instance.instanceType,
            instanceState: d.resource.instance.instanceState,
            availabilityZone: d.resource.instance.availabilityZone,
            imageId: d.resource.instance.imageId,
            launchTime: d.resource.instance.launchTime,
            iamInstanceProfileArn: d.resource.instance.iamInstanceProfileArn,
            publicIps: [...d.resource.instance.publicIps],
            privateIps: [...d.resource.instance.privateIps],
            vpcId: d.resource.instance.vpcId,
            subnetId: d.resource.instance.subnetId,
            securityGroups: [...d.resource.instance.securityGroups],
            tags: d.resource.instance.tags.map((t) => ({ key: t.key, value: t.value })),
          }
        : null,
      s3Buckets: d.resource.s3Buckets.map((b) => ({ name: b.name, arn: b.arn, type: b.type, effectivePermission: b.effectivePermission })),
      eksCluster: d.resource.eksCluster ? { ...d.resource.eksCluster } : null,
      kubernetesUser: d.resource.kubernetesUser ? { username: d.resource.kubernetesUser.username, groups: [...d.resource.kubernetesUser.groups] } : null,
    },
    runtime: d.runtime
      ? {
          process: d.runtime.process ? { ...d.runtime.process } : null,
          lineage: d.runtime.lineage.map((a) => ({ name: a.name, pid: a.pid, executablePath: a.executablePath, userId: a.userId, startTime: a.startTime })),
          context: d.runtime.context.map((x) => ({ member: x.member, label: x.label, value: x.value })),
          container: d.runtime.container
            ? { ...d.runtime.container, volumeMounts: d.runtime.container.volumeMounts.map((m) => ({ name: m.name, mountPath: m.mountPath })) }
            : null,
        }
      : null,
    raw: d.raw,
  };
}
