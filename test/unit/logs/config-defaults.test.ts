/**
 * The configuration file's `[logs]` section (src/config/logs.ts) and how a run's source is chosen from it and the
 * command line (src/flows/trail-source.ts chooseTrailSource): the command line wins key by key, each default applies
 * only to the sources it belongs to, --sandbox ignores the file, and every bad value names the file and line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import { logsDefaults } from '../../../src/config/logs.js';
import { UsageError } from '../../../src/core/errors.js';
import { chooseTrailSource } from '../../../src/flows/trail-source.js';

const dir = mkdtempSync(join(tmpdir(), 'gd-ir-logs-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function withConfig(text: string, sandbox = false) {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.ini`);
  writeFileSync(path, text);
  return { env: { GD_IR_CONFIG: path }, globals: { sandbox } } as never;
}

const ATHENA = `[logs]
source = athena:cloudtrail.org_logs
profile = log-archive
athena_workgroup = security
athena_output = s3://athena-results-111122223333/gd-ir
`;

describe('[logs] in the configuration file', () => {
  it('reads each key with its option\'s parser and remembers where it was set', () => {
    const d = logsDefaults(parseConfig(ATHENA, '/home/a/.config/gd-ir/config.ini'));
    expect(d.source).toEqual({ kind: 'athena', database: 'cloudtrail', table: 'org_logs' });
    expect(d.profile).toBe('log-archive');
    expect(d.athenaWorkgroup).toBe('security');
    expect(d.athenaOutput).toBe('s3://athena-results-111122223333/gd-ir/');
    expect(d.origin.source).toBe('/home/a/.config/gd-ir/config.ini:2');
  });

  it('no [logs]: nothing', () => {
    expect(logsDefaults(parseConfig('[defaults]\nread_role = gd-ir-read\n', 'c.ini'))).toEqual({ origin: {} });
  });

  it.each([
    ['[logs]\nsource = ftp://x/y\n', /^c\.ini:2: source: invalid --logs 'ftp:\/\/x\/y'/],
    ['[logs]\nsource = s3://Bad_Bucket\n', /^c\.ini:2: source: invalid --logs .*not an S3 bucket name/],
    ['[logs]\nathena_workgroup = a b\n', /^c\.ini:2: athena_workgroup: invalid --athena-workgroup/],
    ['[logs]\nathena_output = /tmp/x\n', /^c\.ini:2: athena_output: invalid --athena-output/],
    ['[logs]\nprofile = a b\n', /^c\.ini:2: profile: invalid profile name/],
    ['[logs]\nbucket = s3://x\n', /^c\.ini:2: unknown key bucket in \[logs\] \(known: source, profile, athena_workgroup, athena_output\)/],
    ['[logs archive]\nsource = lookup\n', /^c\.ini:1: \[logs\] takes no name/],
  ])('%j is refused naming the line', (text, message) => {
    const err = (() => {
      try {
        logsDefaults(parseConfig(text, 'c.ini'));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('choosing the source of a run', () => {
  it('without --logs: the configured source with its settings, and where it came from', () => {
    const c = chooseTrailSource(withConfig(ATHENA), { cache: true });
    expect(c.logs).toEqual({ kind: 'athena', database: 'cloudtrail', table: 'org_logs' });
    expect(c.source).toEqual({ cache: true, logsProfile: 'log-archive', athenaWorkgroup: 'security', athenaOutput: 's3://athena-results-111122223333/gd-ir/' });
    expect(c.configured).toMatch(/config-.*\.ini:2$/);
  });

  it('--logs wins; the defaults that belong to its kind still apply, the others do not', () => {
    const s3 = chooseTrailSource(withConfig(ATHENA), { cache: false, logs: { kind: 's3', bucket: 'org-trail', prefix: '' } });
    expect(s3).toEqual({ logs: { kind: 's3', bucket: 'org-trail', prefix: '' }, source: { cache: false, logsProfile: 'log-archive' } });
    const local = chooseTrailSource(withConfig(ATHENA), { cache: true, logs: { kind: 'local', paths: ['./logs'] } });
    expect(local).toEqual({ logs: { kind: 'local', paths: ['./logs'] }, source: { cache: true } });
    const lookup = chooseTrailSource(withConfig(ATHENA), { cache: true, logs: { kind: 'lookup' } });
    expect(lookup.logs).toEqual({ kind: 'lookup' });
    expect(lookup.configured).toBeUndefined();
  });

  it('an option on the command line wins over its default', () => {
    const c = chooseTrailSource(withConfig(ATHENA), { cache: true, athenaWorkgroup: 'ir', logsProfile: 'other' });
    expect(c.source).toMatchObject({ athenaWorkgroup: 'ir', logsProfile: 'other', athenaOutput: 's3://athena-results-111122223333/gd-ir/' });
  });

  it('the options given are checked against the source chosen', () => {
    // --athena-workgroup is fine when the configured source is Athena, refused when it is a directory.
    expect(() => chooseTrailSource(withConfig('[logs]\nsource = /var/log/trail\n'), { cache: true, athenaWorkgroup: 'ir' })).toThrow(/--athena-workgroup and --athena-output go with --logs athena/);
    expect(() => chooseTrailSource(withConfig('[logs]\nsource = /var/log/trail\n'), { cache: false })).toThrow(/--no-cache goes with --logs s3/);
  });

  it('--sandbox: the file\'s [logs] is not used (the sandbox serves its own logs), even a broken one', () => {
    expect(chooseTrailSource(withConfig(ATHENA, true), { cache: true })).toEqual({ logs: { kind: 'lookup' }, source: { cache: true } });
    expect(chooseTrailSource(withConfig('[logs]\nsource = ftp://x\n', true), { cache: true }).logs).toEqual({ kind: 'lookup' });
  });

  it('no configuration file: event history', () => {
    expect(chooseTrailSource({ env: { XDG_CONFIG_HOME: join(dir, 'none') }, globals: { sandbox: false } } as never, { cache: true })).toEqual({ logs: { kind: 'lookup' }, source: { cache: true } });
  });
});
