/**
 * Temporary credentials minted by the principal's key. They stay valid after the key is deactivated
 * (AWS's credential-compromise playbook), so an analyst must know each one: which ASIA key, when, from
 * where, and for how long. Pure: reads the STS events of a trail.
 */

export const CREDENTIAL_MINTING_EVENTS: readonly string[] = ['GetSessionToken', 'AssumeRole', 'GetFederationToken'];

export interface DerivedCredential {
  /** The temporary access key ID (ASIA…). */
  accessKeyId: string;
  /** The STS call that minted it. */
  via: string;
  /** The principal's key that made the call. */
  parentAccessKeyId?: string;
  issuedAt: string;
  region: string;
  sourceIp?: string;
  userAgent?: string;
  /** As CloudTrail recorded it (free-form date text), and as ISO-8601 when it parses. */
  expiration?: string;
  expiresAt?: string;
  /** AssumeRole: the role session ARN; GetFederationToken: the federated user ARN. */
  assumedArn?: string;
  eventId: string;
}

/**
 * The slice of a trail event (core/trail.ts `TrailEvent`) this module reads. Declared here rather than imported,
 * so that trail.ts, whose result carries DerivedCredential[], and this module do not import each other.
 */
export interface MintingEventView {
  eventId: string;
  time: string;
  timeMs: number;
  region: string;
  eventSource: string;
  eventName: string;
  sourceIp?: string;
  userAgent?: string;
  accessKeyId?: string;
  errorCode?: string;
  responseElements: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every successful credential-minting call of the trail (oldest first), one entry per derived key. */
export function findDerivedCredentials(events: readonly MintingEventView[]): DerivedCredential[] {
  const out = new Map<string, DerivedCredential>();
  const minting = events
    .filter((e) => e.eventSource === 'sts.amazonaws.com' && CREDENTIAL_MINTING_EVENTS.includes(e.eventName) && !e.errorCode)
    .sort((a, b) => a.timeMs - b.timeMs);
  for (const e of minting) {
    const response = isObject(e.responseElements) ? e.responseElements : undefined;
    const creds = response && isObject(response.credentials) ? response.credentials : undefined;
    const keyId = creds && typeof creds.accessKeyId === 'string' ? creds.accessKeyId : undefined;
    if (!keyId || out.has(keyId)) continue;
    const expiration = creds && typeof creds.expiration === 'string' ? creds.expiration : undefined;
    const expiresMs = expiration ? Date.parse(expiration) : NaN;
    const assumed = response && isObject(response.assumedRoleUser) ? response.assumedRoleUser : response && isObject(response.federatedUser) ? response.federatedUser : undefined;
    out.set(keyId, {
      accessKeyId: keyId,
      via: e.eventName,
      parentAccessKeyId: e.accessKeyId,
      issuedAt: e.time,
      region: e.region,
      sourceIp: e.sourceIp,
      userAgent: e.userAgent,
      expiration,
      expiresAt: Number.isNaN(expiresMs) ? undefined : new Date(expiresMs).toISOString().replace(/\.000Z$/, 'Z'),
      assumedArn: assumed && typeof assumed.arn === 'string' ? assumed.arn : undefined,
      eventId: e.eventId,
    });
  }
  return [...out.values()];
}
