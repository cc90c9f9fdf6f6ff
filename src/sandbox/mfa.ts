/**
 * Virtual MFA devices: time-based one-time passwords as RFC 6238 defines them (HMAC-SHA-1 over the 30-second step
 * count, dynamic truncation of RFC 4226, 6 digits), the algorithm of the authenticator apps IAM's virtual MFA
 * devices are set up with (IAM User Guide, "Assign a virtual MFA device"). A code is accepted in its own step and
 * the one either side, for clock drift. Seeds are base32 (RFC 4648), as IAM's `Base32StringSeed`.
 */
import { createHmac } from 'node:crypto';

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Base32 (RFC 4648, padding and spaces ignored, case-insensitive) to bytes. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of clean) {
    const i = BASE32.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code of one time step. */
export function hotp(seed: Buffer, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', seed).update(msg).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = (((mac[offset] ?? 0) & 0x7f) << 24) | ((mac[offset + 1] ?? 0) << 16) | ((mac[offset + 2] ?? 0) << 8) | (mac[offset + 3] ?? 0);
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, '0');
}

/** The code a device with this base32 seed shows at `at`. */
export function totp(seedBase32: string, at: Date): string {
  return hotp(base32Decode(seedBase32), Math.floor(at.getTime() / 1000 / TOTP_STEP_SECONDS));
}

/** Whether `code` is the device's code at `at`, one step before or one after. */
export function verifyTotp(seedBase32: string, code: string, at: Date): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const seed = base32Decode(seedBase32);
  const step = Math.floor(at.getTime() / 1000 / TOTP_STEP_SECONDS);
  return [step - 1, step, step + 1].some((s) => hotp(seed, s) === code);
}
