/**
 * The workshop's S3 data events: the objects the exfiltrated role session read from
 * example-corp-prod-backups, which the Exfiltration:S3/MaliciousIPCaller finding counts (23 GetObject
 * calls between its first and last sighting). They exist only in the trail's log files: event history
 * (LookupEvents) never returns data events.
 *
 * Shape of an S3 GetObject data event (CloudTrail User Guide, "Logging data events" and "Amazon S3
 * CloudTrail events"): `eventCategory` "Data", `managementEvent` false, the object and its bucket in
 * `resources`, `bucketName`/`key`/`Host` in `requestParameters`, `responseElements` null, bytes
 * transferred in `additionalEventData`, and S3's bracketed user agent.
 */
import type { CloudTrailRecord, World } from '../model.js';
import { WORKSHOP as F } from './workshop-facts.js';
import { clone, isoSec, prng, randInt, uuid } from './util.js';

export const EXFIL_BUCKET = 'example-corp-prod-backups';

/** The 23 objects read, in the order they were read. */
export const EXFIL_OBJECT_KEYS: readonly string[] = Object.freeze([
  ...Array.from({ length: 8 }, (_, i) => `db/prod-customers/2026-05-31/part-${String(i).padStart(5, '0')}.sql.gz`),
  ...Array.from({ length: 6 }, (_, i) => `db/prod-orders/2026-05-31/part-${String(i).padStart(5, '0')}.sql.gz`),
  'finance/payroll/2026-Q1.xlsx',
  'finance/payroll/2026-Q2.xlsx',
  'hr/employees-export.csv',
  'secrets/terraform.tfstate',
  'secrets/ci-deploy-keys.tar.gz',
  'backups/ldap/ldap-2026-05-30.ldif.gz',
  'backups/ldap/ldap-2026-05-31.ldif.gz',
  'backups/vault/vault-snapshot-2026-05-31.snap',
  'backups/vault/vault-snapshot-2026-06-01.snap',
]);

/** Adds the data events to a freshly built workshop World (in place) and returns it. */
export function withWorkshopDataEvents(world: World): World {
  const west = world.regions[F.homeRegion];
  if (!west) return world;
  const finding = west.findings.find((f) => f.id === F.findings.s3Exfiltration);
  const session = west.events.find((e) => e.userIdentity.accessKeyId === F.role.sessionKeyId);
  if (!finding || !session) return world;
  const first = Date.parse(finding.service.eventFirstSeen ?? finding.createdAt);
  const last = Date.parse(finding.service.eventLastSeen ?? finding.updatedAt);
  const rng = prng(0x0da7a_e7);
  const n = EXFIL_OBJECT_KEYS.length;
  const records: CloudTrailRecord[] = EXFIL_OBJECT_KEYS.map((key, i) => {
    const at = Math.round(first + ((last - first) * i) / (n - 1));
    const bytes = randInt(rng, 180_000, 48_000_000);
    const host = `${EXFIL_BUCKET}.s3.${F.homeRegion}.amazonaws.com`;
    return {
      eventVersion: '1.09',
      userIdentity: clone(session.userIdentity),
      eventTime: isoSec(at),
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      awsRegion: F.homeRegion,
      sourceIPAddress: F.role.exfilIp,
      userAgent: `[${F.role.exfilUserAgent}]`,
      requestParameters: { bucketName: EXFIL_BUCKET, Host: host, key },
      responseElements: null,
      additionalEventData: {
        SignatureVersion: 'SigV4',
        CipherSuite: 'TLS_AES_128_GCM_SHA256',
        bytesTransferredIn: 0,
        AuthenticationMethod: 'AuthHeader',
        'x-amz-id-2': Buffer.from(uuid(rng)).toString('base64'),
        bytesTransferredOut: bytes,
      },
      requestID: uuid(rng).replace(/-/g, '').slice(0, 16).toUpperCase(),
      eventID: uuid(rng),
      readOnly: true,
      resources: [
        { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${EXFIL_BUCKET}/${key}` },
        { accountId: world.accountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${EXFIL_BUCKET}` },
      ],
      eventType: 'AwsApiCall',
      managementEvent: false,
      recipientAccountId: world.accountId,
      eventCategory: 'Data',
      tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host },
    };
  });
  west.dataEvents = records;
  return world;
}
