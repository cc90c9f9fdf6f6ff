/**
 * Where the way to reach an account comes from, most specific first: the command's flags (`--read-role`,
 * `--write-role`, `--external-id`, `--mfa-serial`, `--session-duration`), the environment (`GD_IR_READ_ROLE`,
 * `GD_IR_WRITE_ROLE`, `GD_IR_EXTERNAL_ID`, `GD_IR_MFA_SERIAL`), the account's section of the configuration file
 * (a role, or a named profile), then its `[defaults]`. The write role defaults to the read role. The MFA device
 * is used for the write role (and for the read role with `read_mfa = true`).
 */
import type { AccessFlags, AccessPurpose } from '../core/access.js';
import { parseExternalId, parseMfaSerial, parseRoleRef } from '../core/access.js';
import type { AccountSettings, GdIrConfig } from '../config/index.js';

export const ENV = {
  readRole: 'GD_IR_READ_ROLE',
  writeRole: 'GD_IR_WRITE_ROLE',
  externalId: 'GD_IR_EXTERNAL_ID',
  mfaSerial: 'GD_IR_MFA_SERIAL',
} as const;

export const DEFAULT_SESSION_SECONDS = 3600;

export type Route =
  | { kind: 'role'; role: string; source: 'flag' | 'env' | 'config' }
  | { kind: 'profile'; profile: string }
  | { kind: 'none' };

export interface AccessSettings {
  route: Route;
  externalId?: string;
  /** The MFA device to use for this purpose (the write role; the read role only with read_mfa). */
  mfaSerial?: string;
  sessionDuration: number;
}

type Env = Record<string, string | undefined>;

function fromEnv(env: Env, name: string, parse: (v: string) => string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : parse(v);
}

type Found = Route & { kind: 'role' | 'profile' };

function readRoute(flags: AccessFlags, env: Env, acct: AccountSettings | undefined, def: AccountSettings): Found | undefined {
  const envRole = fromEnv(env, ENV.readRole, (v) => parseRoleRef(v, ENV.readRole));
  if (flags.readRole !== undefined) return { kind: 'role', role: flags.readRole, source: 'flag' };
  if (envRole !== undefined) return { kind: 'role', role: envRole, source: 'env' };
  if (acct?.readRole !== undefined) return { kind: 'role', role: acct.readRole, source: 'config' };
  const profile = acct?.readProfile ?? acct?.profile;
  if (profile !== undefined) return { kind: 'profile', profile };
  if (def.readRole !== undefined) return { kind: 'role', role: def.readRole, source: 'config' };
  return undefined;
}

function writeRoute(flags: AccessFlags, env: Env, acct: AccountSettings | undefined, def: AccountSettings): Found | undefined {
  const envRole = fromEnv(env, ENV.writeRole, (v) => parseRoleRef(v, ENV.writeRole));
  if (flags.writeRole !== undefined) return { kind: 'role', role: flags.writeRole, source: 'flag' };
  if (envRole !== undefined) return { kind: 'role', role: envRole, source: 'env' };
  if (acct?.writeRole !== undefined) return { kind: 'role', role: acct.writeRole, source: 'config' };
  const profile = acct?.writeProfile ?? acct?.profile;
  if (profile !== undefined) return { kind: 'profile', profile };
  if (def.writeRole !== undefined) return { kind: 'role', role: def.writeRole, source: 'config' };
  return readRoute(flags, env, acct, def);
}

/**
 * The settings for reaching `account` for `purpose`; the first of these that is set wins (docs/multi-account.md):
 *   read:  --read-role, GD_IR_READ_ROLE, [account] read_role, [account] read_profile or profile, [defaults] read_role
 *   write: --write-role, GD_IR_WRITE_ROLE, [account] write_role, [account] write_profile or profile,
 *          [defaults] write_role, then whatever the read role is
 * Invalid environment values are usage errors (exit 2).
 */
export function accessSettings(account: string, purpose: AccessPurpose, flags: AccessFlags, env: Env, config: GdIrConfig): AccessSettings {
  const acct = Object.hasOwn(config.accounts, account) ? config.accounts[account] : undefined;
  const def = config.defaults;
  const route: Route = (purpose === 'write' ? writeRoute(flags, env, acct, def) : readRoute(flags, env, acct, def)) ?? { kind: 'none' };
  const externalId = flags.externalId ?? fromEnv(env, ENV.externalId, parseExternalId) ?? acct?.externalId ?? def.externalId;
  const serial = flags.mfaSerial ?? fromEnv(env, ENV.mfaSerial, parseMfaSerial) ?? acct?.mfaSerial ?? def.mfaSerial;
  const useMfa = purpose === 'write' || flags.readMfa === true || (acct?.readMfa ?? def.readMfa) === true;
  return {
    route,
    ...(externalId !== undefined ? { externalId } : {}),
    ...(serial !== undefined && useMfa ? { mfaSerial: serial } : {}),
    sessionDuration: flags.sessionDuration ?? acct?.sessionDuration ?? def.sessionDuration ?? DEFAULT_SESSION_SECONDS,
  };
}
