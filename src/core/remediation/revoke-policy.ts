/** The deny-older-sessions policy gd-ir attaches to a user (`--revoke-sessions`), and reading its cutoff back. */
import { REVOKE_POLICY_SID } from './model.js';

/** The deny-older-sessions policy document, with `cutoff` as aws:TokenIssueTime. */
export function revokePolicyDocument(cutoff: Date): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: REVOKE_POLICY_SID,
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff.toISOString() } },
      },
    ],
  });
}

/** The cutoff of a gd-ir revoke policy document, or undefined when `doc` is not one (someone else's policy under that name). */
export function revokePolicyCutoff(doc: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const statements = (parsed as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  for (const st of list) {
    if (!st || typeof st !== 'object') continue;
    const s = st as { Effect?: unknown; Action?: unknown; Condition?: { DateLessThan?: Record<string, unknown> } };
    if (s.Effect !== 'Deny' || s.Action !== '*') continue;
    const value = s.Condition?.DateLessThan?.['aws:TokenIssueTime'];
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
  }
  return undefined;
}

/** The typed confirmation: exactly the key ID (surrounding spaces forgiven, nothing else). */

export function revokeRolePolicyJson(): string {
  return `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"<now, ISO-8601>"}}}]}`;
}
