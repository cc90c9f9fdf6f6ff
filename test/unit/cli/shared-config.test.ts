/** The shared config/credentials reader (src/aws/shared-config.ts): the INI dialect the AWS SDKs and CLI read. */
import { describe, expect, it } from 'vitest';
import { parseProfiles, sharedConfigPaths } from '../../../src/aws/shared-config.js';

describe('parseProfiles', () => {
  it('config: [default] and [profile name]; other section kinds are not profiles; nested settings are not keys', () => {
    const text = [
      '; comment',
      '[default]',
      'region=us-east-1',
      '[profile  ir ]  # trailing comment',
      'Region = us-west-2',
      's3 =',
      '  region = should-not-count',
      'sso_session = corp',
      '[sso-session corp]',
      'sso_region = eu-west-1',
      '[services local]',
      'region = nope',
      '[ir-without-prefix]',
      'region = ignored-in-config',
    ].join('\n');
    const p = parseProfiles(text, 'config');
    expect([...p.keys()]).toEqual(['default', 'ir']);
    expect(p.get('ir')).toEqual({ region: 'us-west-2', s3: '', sso_session: 'corp' });
    expect(p.get('default')).toEqual({ region: 'us-east-1' });
  });

  it('credentials: [name] sections', () => {
    const p = parseProfiles('[default]\naws_access_key_id = AKIA\n\n[ir]\r\naws_access_key_id=AKIB\r\n', 'credentials');
    expect(p.get('ir')).toEqual({ aws_access_key_id: 'AKIB' });
    expect(p.get('default')).toEqual({ aws_access_key_id: 'AKIA' });
  });
});

describe('sharedConfigPaths', () => {
  it('env paths first, ~ expanded against the environment\'s HOME, else ~/.aws', () => {
    expect(sharedConfigPaths({ HOME: '/h', AWS_CONFIG_FILE: '~/c', AWS_SHARED_CREDENTIALS_FILE: '/abs/creds' })).toEqual({ configFile: '/h/c', credentialsFile: '/abs/creds' });
    expect(sharedConfigPaths({ HOME: '/h' })).toEqual({ configFile: '/h/.aws/config', credentialsFile: '/h/.aws/credentials' });
  });
});
