/**
 * An account reached through a named profile of the AWS config files (the configuration file's `profile`,
 * `read_profile`, `write_profile`): the SDK's own profile resolution (`fromIni`: static keys, `source_profile` and
 * `role_arn` chains, `credential_source`, SSO, `mfa_serial`), reading the files the context's environment names
 * (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/…), never the process environment. When the profile
 * assumes a role, gd-ir does the AssumeRole itself (the SDK's `roleAssumer` hook) through the run's STS endpoint,
 * naming the analyst as RoleSessionName (unless the profile sets role_session_name) and SourceIdentity.
 */
import type { AwsClients, CredentialProvider, StaticCredentials } from '../aws/clients.js';
import { sharedConfigPaths } from '../aws/shared-config.js';
import type { Context } from '../cli/context.js';
import { accountOfArn, analystName, type AccessPurpose } from '../core/access.js';
import { CredentialsError, GdIrError } from '../core/errors.js';
import { sanitize } from '../core/sanitize.js';
import { assumeRole, REFRESH_MARGIN_MS, type MfaCodes } from './assume.js';

export interface ProfileRole {
  roleArn?: string;
  sessionName?: string;
  sourceIdentity?: string;
}

type Creds = StaticCredentials & { expiration?: Date };

export function profileProvider(
  ctx: Pick<Context, 'env' | 'signal' | 'clock'>,
  root: AwsClients,
  profile: string,
  target: { account: string; purpose: AccessPurpose },
  mfa: MfaCodes,
  seen: ProfileRole,
): CredentialProvider {
  const paths = sharedConfigPaths(ctx.env);
  let current: Creds | undefined;
  let pending: Promise<Creds> | undefined;

  const resolve = async (): Promise<Creds> => {
    const { fromIni } = await import('@aws-sdk/credential-provider-ini');
    const provider = fromIni({
      profile,
      filepath: paths.credentialsFile,
      configFilepath: paths.configFile,
      ignoreCache: true,
      mfaCodeProvider: (serial) => mfa.next(serial, `for profile ${profile}`),
      roleAssumer: async (source, params) => {
        const sourceClients = root.derive(`profile-source:${profile}:${source.accessKeyId}`, async () => ({ ...source }));
        const who = await sourceClients.callerIdentity(ctx.signal);
        const analyst = analystName(who.arn);
        const sessionName = params.RoleSessionName.startsWith('aws-sdk-js-') ? analyst : params.RoleSessionName;
        seen.roleArn = params.RoleArn;
        seen.sessionName = sessionName;
        seen.sourceIdentity = analyst;
        const session = await assumeRole(
          { aws: sourceClients, signal: ctx.signal },
          {
            roleArn: params.RoleArn,
            account: accountOfArn(params.RoleArn) ?? target.account,
            purpose: target.purpose,
            sessionName,
            sourceIdentity: analyst,
            ...(params.ExternalId !== undefined ? { externalId: params.ExternalId } : {}),
            ...(params.SerialNumber !== undefined ? { mfaSerial: params.SerialNumber } : {}),
            durationSeconds: params.DurationSeconds ?? 3600,
            callerArn: who.arn,
            callerAccount: who.account,
          },
          // fromIni asked for the code already (mfaCodeProvider): hand that one over.
          { next: async () => params.TokenCode ?? '' },
        );
        return session.credentials;
      },
    });
    try {
      const c = await provider();
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}), ...(c.expiration ? { expiration: c.expiration } : {}) };
    } catch (err) {
      if (err instanceof GdIrError) throw err;
      throw new CredentialsError(`cannot use profile ${sanitize(profile)} for account ${target.account}: ${sanitize(err instanceof Error ? err.message : String(err), { maxLength: 300 })}`, {
        remedy: `check [profile ${sanitize(profile)}] in ${sanitize(paths.configFile)} (or the account's profile in the gd-ir configuration file)`,
        cause: err,
      });
    }
  };

  return async () => {
    const exp = current?.expiration?.getTime();
    if (!current || (exp !== undefined && exp - ctx.clock.now().getTime() < REFRESH_MARGIN_MS)) {
      pending ??= resolve().finally(() => {
        pending = undefined;
      });
      current = await pending;
    }
    return { ...current };
  };
}
