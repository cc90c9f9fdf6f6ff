/**
 * Temporary credentials minted by the principal's key. They stay valid after the key is deactivated
 * (AWS's credential-compromise playbook), so an analyst must know each one: which ASIA key, when, from
 * where, and for how long. Pure: reads the STS events of a trail.
 */
import type { DerivedCredential, TrailEvent } from './model.js';
import { cloudTrailTimeIso } from './time.js';

export const CREDENTIAL_MINTING_EVENTS: readonly string[] = ['GetSessionToken', 'AssumeRole', 'GetFederationToken'];


const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every successful credential-minting call of the trail (oldest first), one entry per derived key. */
export function findDerivedCredentials(events: readonly TrailEvent[]): DerivedCredential[] {
  const out = new Map<string, DerivedCredential>();
  const minting = events
    .filter((e) => e.eventSource === 'sts.amazonaws.com' && CREDENTIAL_MINTING_EVENTS.includes(e.eventName) && !e.failed)
    .sort((a, b) => a.timeMs - b.timeMs);
  for (const e of minting) {
    const response = isObject(e.responseElements) ? e.responseElements : undefined;
    const creds = response && isObject(response.credentials) ? response.credentials : undefined;
    const keyId = creds && typeof creds.accessKeyId === 'string' ? creds.accessKeyId : undefined;
    if (!keyId || out.has(keyId)) continue;
    const expiration = creds && typeof creds.expiration === 'string' ? creds.expiration : undefined;
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
      // "Jul 30, 2024, 9:46:15 PM": UTC without a zone (time.ts), never the analyst's local time.
      expiresAt: cloudTrailTimeIso(expiration),
      assumedArn: assumed && typeof assumed.arn === 'string' ? assumed.arn : undefined,
      eventId: e.eventId,
    });
  }
  return [...out.values()];
}
