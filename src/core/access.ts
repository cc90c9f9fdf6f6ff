/**
 * Reaching another account, as data and rules (no I/O): the access options as typed on the command line and
 * their validation, role names expanded to ARNs, the analyst's name as STS session name and SourceIdentity,
 * how an account is reached (for plans, reports and the audit log), and why an AssumeRole failed with the trust
 * policy that would allow it. The account-access layer that acts on this is src/access/.
 *
 * STS limits (botocore sts model, AssumeRole): RoleSessionName and SourceIdentity 2–64 of [\w+=,.@-];
 * ExternalId 2–1224 of [\w+=,.@:/-]; SerialNumber 9–256 of [\w+=/:,.@-]; TokenCode 6 digits; DurationSeconds
 * 900–43200 (and at most the role's MaxSessionDuration, at most 3600 when chaining roles).
 */
import { UsageError } from './errors.js';
import { sanitize } from './sanitize.js';

export type AccessPurpose = 'read' | 'write';

/** The access options of one command, as given on its command line (the environment and config add to them). */
export interface AccessFlags {
  readRole?: string;
  writeRole?: string;
  externalId?: string;
  mfaSerial?: string;
  mfaCode?: string;
  /** Seconds. */
  sessionDuration?: number;
  /** Use the MFA device for the read role too (a read-only command given --mfa-serial). */
  readMfa?: boolean;
}

/** The access flags among a command's parsed options (every command declares them with the same names). */
export function accessFlagsOf(options: Record<string, unknown>): AccessFlags {
  const str = (k: string): string | undefined => (typeof options[k] === 'string' ? (options[k] as string) : undefined);
  const flags: AccessFlags = {};
  const readRole = str('readRole');
  const writeRole = str('writeRole');
  const externalId = str('externalId');
  const mfaSerial = str('mfaSerial');
  const mfaCode = str('mfaCode');
  if (readRole !== undefined) flags.readRole = readRole;
  if (writeRole !== undefined) flags.writeRole = writeRole;
  if (externalId !== undefined) flags.externalId = externalId;
  if (mfaSerial !== undefined) flags.mfaSerial = mfaSerial;
  if (mfaCode !== undefined) flags.mfaCode = mfaCode;
  if (typeof options.sessionDuration === 'number') flags.sessionDuration = options.sessionDuration;
  // A command that never writes has no --write-role: its MFA device can only be meant for the read role.
  if (mfaSerial !== undefined && !Object.hasOwn(options, 'writeRole')) flags.readMfa = true;
  return flags;
}

/** How gd-ir reaches an account for one purpose: its own credentials, a role it assumes, a named profile, or not at all. */
export interface AccountAccess {
  account: string;
  purpose: AccessPurpose;
  via: 'caller' | 'role' | 'profile' | 'none';
  /** The role assumed (via role), or the profile's role when it has one. */
  roleArn?: string;
  profile?: string;
  /** RoleSessionName and SourceIdentity gd-ir sets (the analyst's name). */
  sessionName?: string;
  sourceIdentity?: string;
  /** The identity acting there once reached (assumed-role session ARN, or the caller's ARN). */
  actingArn?: string;
  /** Where the role or profile came from. */
  source?: 'flag' | 'env' | 'config';
}

const show = (v: string): string => `'${sanitize(v, { maxLength: 80 })}'`;

export function parseAccountId(value: string): string {
  if (!/^\d{12}$/.test(value)) throw new UsageError(`invalid account ID ${show(value)}: expected 12 digits, e.g. 444455556666`);
  return value;
}

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const ROLE_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** `--read-role` / `--write-role`: a role name (a path allowed: `ir/gd-ir-read`) or a role ARN. */
export function parseRoleRef(value: string, flag = '--read-role'): string {
  if (ROLE_ARN.test(value) || (ROLE_NAME.test(value) && !value.startsWith('arn:'))) return value;
  throw new UsageError(`invalid ${flag} ${show(value)}: expected a role name (gd-ir-read) or a role ARN (arn:aws:iam::444455556666:role/gd-ir-read)`);
}

export function parseExternalId(value: string): string {
  if (!/^[\w+=,.@:/-]{2,1224}$/.test(value)) throw new UsageError(`invalid --external-id ${show(value)}: expected 2–1224 of letters, digits and + = , . @ : / _ -`);
  return value;
}

export function parseMfaSerial(value: string): string {
  if (!/^[\w+=/:,.@-]{9,256}$/.test(value)) {
    throw new UsageError(`invalid --mfa-serial ${show(value)}: expected the MFA device's ARN (arn:aws:iam::111122223333:mfa/alice) or a hardware serial number`);
  }
  return value;
}

export function parseMfaCode(value: string): string {
  if (!/^\d{6}$/.test(value)) throw new UsageError('invalid --mfa-code: expected the 6 digits your MFA device shows');
  return value;
}

/** `--session-duration`: seconds (3600) or a duration (15m, 1h, 12h), 15 minutes to 12 hours. */
export function parseSessionDuration(value: string): number {
  const m = /^(\d+)(s|m|h)?$/.exec(value.trim());
  const seconds = m ? Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1) : NaN;
  if (!m || seconds < 900 || seconds > 43200) {
    throw new UsageError(`invalid --session-duration ${show(value)}: expected 900–43200 seconds or a duration from 15m to 12h (the role's maximum applies)`);
  }
  return seconds;
}

export function partitionOf(arn: string): string {
  return /^arn:([^:]+):/.exec(arn)?.[1] ?? 'aws';
}

/** The account an ARN lives in (the 5th field), if it has one. */
export function accountOfArn(arn: string): string | undefined {
  return /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

/** A role reference as an ARN in `account`: names expand to arn:<partition>:iam::<account>:role/<name>. */
export function roleArnFor(ref: string, account: string, partition: string): string {
  return ref.startsWith('arn:') ? ref : `arn:${partition}:iam::${account}:role/${ref}`;
}

/**
 * The analyst's name for RoleSessionName and SourceIdentity, from the caller's ARN: a user's name, an assumed
 * role's session name (the person behind SSO: `AWSReservedSSO_…/alice@example.com` gives alice@example.com), a
 * federated user's name. Characters STS refuses become '-', cut to 64; too short names get a `gd-ir-` prefix.
 */
export function analystName(callerArn: string): string {
  const resource = callerArn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  let name = parts[0] === 'assumed-role' ? (parts[2] ?? parts[1] ?? '') : (parts[parts.length - 1] ?? '');
  if (resource === 'root') name = 'root';
  name = name.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  if (name.length < 2) name = `gd-ir-${name || 'analyst'}`;
  return name;
}

/** How an account is reached, without the account: "role arn:… as session alice", "your own credentials". */
export function accessVia(a: AccountAccess): string {
  const session = a.sessionName ? ` as session ${a.sessionName}` : '';
  switch (a.via) {
    case 'caller':
      return 'your own credentials';
    case 'none':
      return `no ${a.purpose} role configured (${a.purpose === 'write' ? '--write-role, GD_IR_WRITE_ROLE' : '--read-role, GD_IR_READ_ROLE'} or the configuration file)`;
    case 'profile':
      return `profile ${a.profile ?? '?'}${a.roleArn ? ` (role ${a.roleArn})` : ''}${session}`;
    default:
      return `role ${a.roleArn ?? '?'}${session}`;
  }
}

/** One line naming how an account is reached, for plans, reports and the console header. */
export function describeAccess(a: AccountAccess): string {
  if (a.via === 'caller') return `account ${a.account} (your own credentials)`;
  if (a.via === 'none') return `account ${a.account}: ${accessVia(a)}`;
  return `account ${a.account} through ${accessVia(a)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Why an AssumeRole failed

export type AssumeFailureReason =
  | 'not-trusted'
  | 'caller-permission'
  | 'caller-deny'
  | 'scp'
  | 'boundary'
  | 'source-identity'
  | 'mfa-code'
  | 'mfa-device'
  | 'mfa-missing'
  | 'duration'
  | 'chaining'
  | 'caller-credentials'
  | 'region'
  | 'invalid';

export interface AssumeAttempt {
  roleArn: string;
  account: string;
  purpose: AccessPurpose;
  /** The analyst's identity, when known. */
  callerArn?: string;
  /** The administrator account the trust policy should name (the caller's). */
  callerAccount?: string;
  sent: { externalId?: string; mfaSerial?: string; sourceIdentity?: string; durationSeconds?: number };
}

export interface AssumeFailure {
  reason: AssumeFailureReason;
  /** One sentence: which role, which account, why. */
  message: string;
  /** What to do, one line (may end with the trust policy, compact JSON). */
  remedy: string;
  /** The trust policy that would allow this AssumeRole, when the trust policy is the likely cause. */
  trustPolicy?: Record<string, unknown>;
}

/** The trust policy of an IR role that lets `callerAccount` assume it with what this attempt sent. */
export function trustPolicyFor(a: AssumeAttempt): Record<string, unknown> {
  const admin = a.callerAccount ?? accountOfArn(a.callerArn ?? '') ?? '<security-account-id>';
  const condition: Record<string, Record<string, string>> = {};
  if (a.sent.externalId !== undefined) condition.StringEquals = { 'sts:ExternalId': a.sent.externalId };
  if (a.purpose === 'write' || a.sent.mfaSerial !== undefined) condition.Bool = { 'aws:MultiFactorAuthPresent': 'true' };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:${partitionOf(a.roleArn)}:iam::${admin}:root` },
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      },
    ],
  };
}

/** Classifies an AssumeRole error (its code and STS's message) with what was sent, into a reason and a remedy. */
export function explainAssumeFailure(a: AssumeAttempt, code: string, awsMessage: string): AssumeFailure {
  const role = `${a.purpose} role ${a.roleArn} in account ${a.account}`;
  const head = `cannot assume the ${role}`;
  const m = awsMessage;
  const policy = (): Record<string, unknown> => trustPolicyFor(a);
  const withPolicy = (text: string): string => `${text}; a trust policy that allows it: ${JSON.stringify(policy())} (gd-ir setup roles prints the StackSet)`;
  if (/MultiFactorAuthentication failed with invalid MFA one time pass code/i.test(m)) {
    return { reason: 'mfa-code', message: `${head}: the MFA code was not accepted`, remedy: 'wait for the next code of your MFA device and run again (--mfa-code, or type it when asked)' };
  }
  if (/must provide both MFA serial number and one time pass code/i.test(m)) {
    return { reason: 'mfa-missing', message: `${head}: an MFA serial number was sent without a code`, remedy: 'pass --mfa-code <6 digits> (or run on a terminal to be asked for it)' };
  }
  if (/unable to validate MFA code|MFA serial number/i.test(m)) {
    return {
      reason: 'mfa-device',
      message: `${head}: STS could not validate the MFA device ${a.sent.mfaSerial ?? ''}`.trimEnd(),
      remedy: "pass the ARN of your own MFA device (IAM console → Security credentials → MFA: arn:aws:iam::<your-account>:mfa/<name>) with --mfa-serial",
    };
  }
  if (/1 hour session limit for roles assumed by role chaining/i.test(m)) {
    return { reason: 'chaining', message: `${head}: your credentials are themselves a role session, and role chaining allows at most 1 hour`, remedy: 'pass --session-duration 3600 (or less)' };
  }
  if (/DurationSeconds exceeds the MaxSessionDuration/i.test(m)) {
    return { reason: 'duration', message: `${head}: the session duration asked for is longer than the role allows`, remedy: "pass a shorter --session-duration (the default 1h always fits), or raise the role's MaxSessionDuration" };
  }
  if (code === 'RegionDisabledException') {
    return { reason: 'region', message: `${head}: STS is not activated in this region for account ${a.account}`, remedy: "activate the region's STS endpoint (IAM console → Account settings) or use another --region" };
  }
  if (code === 'ValidationError') return { reason: 'invalid', message: `${head}: ${m}`, remedy: 'check --read-role/--write-role, --external-id, --mfa-serial and --session-duration' };
  if (['InvalidClientTokenId', 'ExpiredToken', 'ExpiredTokenException', 'SignatureDoesNotMatch', 'CredentialsProviderError', 'UnrecognizedClientException'].includes(code)) {
    return { reason: 'caller-credentials', message: `${head}: your own credentials were not accepted (${code})`, remedy: 'refresh the credentials gd-ir runs with (aws sso login, --profile, or new environment variables) and try again' };
  }
  if (/service control polic/i.test(m)) {
    return {
      reason: 'scp',
      message: `${head}: a service control policy of your organisation denies it`,
      remedy: "ask your organisation's administrators to exempt the IR roles (or the security account) from the SCP denying sts:AssumeRole",
    };
  }
  if (/permissions boundary/i.test(m)) {
    return { reason: 'boundary', message: `${head}: your permissions boundary does not allow sts:AssumeRole`, remedy: `add sts:AssumeRole and sts:SetSourceIdentity on ${a.roleArn} to your permissions boundary` };
  }
  if (/sts:SetSourceIdentity/.test(m)) {
    return {
      reason: 'source-identity',
      message: `${head}: setting the SourceIdentity (the analyst's name, so the member's CloudTrail shows who acted) is not allowed`,
      remedy: withPolicy('allow sts:SetSourceIdentity in the role\'s trust policy and in your own policy'),
      trustPolicy: policy(),
    };
  }
  if (/explicit deny in an identity-based policy/i.test(m)) {
    return { reason: 'caller-deny', message: `${head}: one of your own policies denies sts:AssumeRole on it`, remedy: `remove the deny on sts:AssumeRole for ${a.roleArn} from your user's or role's policies` };
  }
  if (/no identity-based policy allows/i.test(m)) {
    return {
      reason: 'caller-permission',
      message: `${head}: your own identity is not allowed to assume it`,
      remedy: `grant yourself ${JSON.stringify({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Resource: a.roleArn })}`,
    };
  }
  // A plain "not authorized to perform: sts:AssumeRole on resource": the role is missing, or its trust policy says no.
  const hints: string[] = [];
  if (a.sent.externalId === undefined) hints.push('if the role requires an ExternalId, pass --external-id');
  if (a.sent.mfaSerial === undefined) hints.push('if it requires MFA, pass --mfa-serial (and --mfa-code)');
  return {
    reason: 'not-trusted',
    message: `${head}: the role does not exist there, or its trust policy does not allow you${a.sent.externalId !== undefined ? ' with this ExternalId' : ''}${a.sent.mfaSerial !== undefined ? ' (MFA was sent)' : ''}`,
    remedy: withPolicy(`check the role name${hints.length > 0 ? `; ${hints.join('; ')}` : ''}`),
    trustPolicy: policy(),
  };
}
