/** Data sources and type explanations (documented data; investigate reuses the checkNext hints). */
import { parseFindingType } from '../finding-types.js';
import type { DataSource, TypeExplained } from './model.js';


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
