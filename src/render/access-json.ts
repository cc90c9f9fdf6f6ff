/** How an account was (or would be) reached, in every --json output that names it (docs/json/*.md, `access`). */
import type { AccountAccess } from '../core/access.js';

export interface AccessJson {
  account: string;
  purpose: 'read' | 'write';
  /** caller: your own credentials; role: an assumed role; profile: a named profile; none: nothing configured. */
  via: 'caller' | 'role' | 'profile' | 'none';
  roleArn: string | null;
  profile: string | null;
  sessionName: string | null;
  sourceIdentity: string | null;
  /** The identity that acted there (the assumed-role session ARN), when known. */
  actingArn: string | null;
}

export function accessJson(a: AccountAccess): AccessJson {
  return {
    account: a.account,
    purpose: a.purpose,
    via: a.via,
    roleArn: a.roleArn ?? null,
    profile: a.profile ?? null,
    sessionName: a.sessionName ?? null,
    sourceIdentity: a.sourceIdentity ?? null,
    actingArn: a.actingArn ?? null,
  };
}
