/**
 * Redaction for anything gd-ir logs about AWS traffic (--debug) or records (audit log).
 * Secrets never leave the process: secret access keys, session tokens, signatures, passwords.
 */

// `credentials`: the whole Credentials structure of an STS AssumeRole / GetSessionToken response. `tokenCode`: an MFA code.
const SECRET_KEY = /^(secretaccesskey|sessiontoken|securitytoken|x-amz-security-token|password|signature|x-amz-signature|authorization|credentials?|tokencode)$/i;

/** Mask an access key ID to its first and last four characters (AKIA…MPLE). Key IDs are not secret, but less is better in logs. */
export function maskKeyId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}…${id.slice(-4)}` : '****';
}

export function redactAuthorization(value: string): string {
  return value
    .replace(/Credential=([A-Z0-9]{4})[A-Z0-9]+([A-Z0-9]{4})\//, 'Credential=$1…$2/')
    .replace(/Signature=[0-9a-fA-F]+/, 'Signature=[redacted]');
}

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const value = Array.isArray(v) ? v.join(', ') : (v ?? '');
    const lower = k.toLowerCase();
    if (lower === 'authorization') out[k] = redactAuthorization(value);
    else if (lower === 'x-amz-security-token') out[k] = '[redacted]';
    else out[k] = value;
  }
  return out;
}

/** Deep copy with secret-looking members replaced. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 20) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEY.test(k) ? '[redacted]' : redactValue(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Redact secrets inside a raw request body (JSON, form-encoded or XML). */
export function redactBody(body: string): string {
  return body
    .replace(/("(?:SecretAccessKey|SessionToken|secretAccessKey|sessionToken|Password|password)"\s*:\s*)"[^"]*"/g, '$1"[redacted]"')
    .replace(/((?:^|&)(?:SecretAccessKey|SessionToken|Password|TokenCode|[A-Za-z.]*\.SecretAccessKey)=)[^&]*/g, '$1[redacted]')
    .replace(/(<(SecretAccessKey|SessionToken|Password)>)[^<]*(<\/\2>)/g, '$1[redacted]$3');
}
