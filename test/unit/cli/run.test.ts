import { describe, expect, it } from 'vitest';
import { declareCommand, optionalArg, register, type CommandSpec } from '../../../src/cli/command-spec.js';
import { opt } from '../../../src/cli/options.js';
import {
  AwsError, CredentialsError, DeclinedError, InterruptedError, NotFoundError, PermissionError, UsageError,
} from '../../../src/core/errors.js';
import { isBareInvocation } from '../../../src/cli/run.js';
import { runInProcess } from '../../helpers/cli.js';

/** A tiny command table so the entry's behaviour is tested independently of the real commands. */
function fakeCommands(behaviour: (args: string[], opts: Record<string, unknown>) => Promise<number | void>): CommandSpec[] {
  const thingList = declareCommand({
    path: ['thing', 'list'],
    summary: 'list things',
    options: { limit: opt.value('--limit <n>', 'how many') },
    examples: [{ command: 'gd-ir thing list --limit 5', description: 'five things' }],
    usesAws: false,
  });
  const investigate = declareCommand({
    path: ['investigate'],
    summary: 'investigate a finding',
    args: { findingId: optionalArg('<findingId>', 'the finding') },
    examples: [{ command: 'gd-ir investigate 0ac1…', description: 'investigate' }],
    usesAws: false,
  });
  const positional = (a: Record<string, string | undefined>): string[] => Object.values(a).filter((v): v is string => v !== undefined);
  return [
    register(thingList, async () => ({
      execute: async (ctx, { args, options }) => {
        ctx.io.out(`args=${JSON.stringify(positional(args))} limit=${String(options.limit)} json=${String(ctx.globals.json)}`);
        return behaviour(positional(args), options);
      },
    })),
    register(investigate, async () => ({ execute: async (_ctx, { args, options }) => behaviour(positional(args), options) })),
  ];
}

const ok = fakeCommands(async () => undefined);

describe('gd-ir entry', () => {
  it('--version prints only the version on stdout', async () => {
    const r = await runInProcess(['--version'], { commands: ok });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(r.stderr).toBe('');
  });

  it('--help lists commands and global options on stdout, exit 0', async () => {
    const r = await runInProcess(['--help'], { commands: ok });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: gd-ir');
    expect(r.stdout).toContain('thing');
    expect(r.stdout).toContain('investigate');
    expect(r.stdout).toContain('--region <name>');
    expect(r.stdout).toContain('--no-color');
    expect(r.stderr).toBe('');
  });

  it('no arguments without a terminal prints help, exit 0', async () => {
    const r = await runInProcess([], { commands: ok });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: gd-ir');
  });

  it('<command> --help shows the command, its options, global options and examples', async () => {
    const r = await runInProcess(['thing', 'list', '--help'], { commands: ok });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: gd-ir thing list');
    expect(r.stdout).toContain('--limit <n>');
    expect(r.stdout).toContain('Global Options');
    expect(r.stdout).toContain('Examples:\n  $ gd-ir thing list --limit 5');
  });

  it('runs a command with its arguments, options and global options in any position', async () => {
    const r = await runInProcess(['thing', 'list', '--limit', '5', '--json'], { commands: ok });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('args=[] limit=5 json=true\n');
    const r2 = await runInProcess(['--json', 'thing', 'list'], { commands: ok });
    expect(r2.stdout).toBe('args=[] limit=undefined json=true\n');
  });

  it('unknown command → error and help on stderr, a suggestion, nothing on stdout, exit 2', async () => {
    const r = await runInProcess(['investigat'], { commands: ok });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown command 'investigat'");
    expect(r.stderr).toContain('Did you mean investigate?');
    expect(r.stderr).toContain('Usage: gd-ir');
  });

  it('unknown option → exit 2 with a suggestion', async () => {
    const r = await runInProcess(['thing', 'list', '--limt', '3'], { commands: ok });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown option '--limt'");
    expect(r.stderr).toContain('Did you mean --limit?');
  });

  it('missing argument → exit 2', async () => {
    const r = await runInProcess(['investigate'], { commands: ok });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing required argument 'findingId'");
  });

  it('with --json, usage errors are one JSON object on stderr and stdout stays empty', async () => {
    const r = await runInProcess(['nosuchcommand', '--json'], { commands: ok });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0] ?? '') as { error: { code: string; message: string } };
    expect(parsed.error.code).toBe('usage');
    expect(parsed.error.message).toContain("unknown command 'nosuchcommand'");
  });

  it('hostile text in an unknown command is sanitised in the error', async () => {
    const r = await runInProcess(['\u001b]8;;http://evil\u0007x\u001b[2J'], { commands: ok });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\u001b/);
  });

  const cases: Array<[string, unknown, number, string]> = [
    ['usage', new UsageError('bad --limit'), 2, 'usage'],
    ['not found', new NotFoundError('finding x not found'), 1, 'not_found'],
    ['aws', new AwsError('boom', 'InternalServerErrorException', 'guardduty:GetFindings'), 1, 'aws_error'],
    ['credentials', new CredentialsError('no credentials', { remedy: 'run aws sso login' }), 4, 'credentials'],
    ['permission', new PermissionError('access denied', 'iam:GetUser', { remedy: 'grant iam:GetUser' }), 4, 'access_denied'],
    ['declined', new DeclinedError(), 3, 'declined'],
    ['interrupted', new InterruptedError(), 130, 'interrupted'],
    ['unexpected', new Error('kaboom'), 1, 'aws_error'],
    ['sdk access denied', Object.assign(new Error('User: arn:aws:iam::1:user/a is not authorized to perform: guardduty:ListFindings'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }), 4, 'access_denied'],
    ['sdk no credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 4, 'credentials'],
    ['sdk expired token', Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException', $metadata: { httpStatusCode: 403 } }), 4, 'credentials'],
    ['prompt ctrl-c', Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' }), 130, 'interrupted'],
  ];

  it.each(cases)('maps %s errors to exit codes, text mode with a hint and no stack trace', async (_name, error, code, _json) => {
    const r = await runInProcess(['thing', 'list'], { commands: fakeCommands(async () => { throw error; }) });
    expect(r.code).toBe(code);
    // An interruption is the user's choice: no error line, nothing else either.
    if (code === 130) expect(r.stderr).toBe('');
    else expect(r.stderr).toMatch(/^error: /m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    if (code === 4) expect(r.stderr).toMatch(/^hint: /m);
  });

  it.each(cases)('maps %s errors to JSON on stderr in --json mode', async (_name, error, code, jsonCode) => {
    const r = await runInProcess(['thing', 'list', '--json'], { commands: fakeCommands(async () => { throw error; }) });
    expect(r.code).toBe(code);
    const last = r.stderr.trim().split('\n').pop() ?? '';
    const parsed = JSON.parse(last) as { error: { code: string; message: string; remedy?: string } };
    expect(parsed.error.code).toBe(jsonCode);
    expect(typeof parsed.error.message).toBe('string');
  });

  it('missing credentials are reported as not found locally, rejected ones as rejected by AWS', async () => {
    const none = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const r1 = await runInProcess(['thing', 'list'], { commands: fakeCommands(async () => { throw none; }) });
    expect(r1.stderr).toMatch(/^error: no AWS credentials found \(CredentialsProviderError\): Could not load credentials from any providers$/m);
    const bad = Object.assign(new Error('The security token included in the request is invalid.'), { name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
    const r2 = await runInProcess(['thing', 'list'], { commands: fakeCommands(async () => { throw bad; }) });
    expect(r2.code).toBe(4);
    expect(r2.stderr).toMatch(/^error: AWS rejected the credentials \(InvalidClientTokenId\)/m);
  });

  it('names the denied permission from an AWS AccessDenied message', async () => {
    const err = Object.assign(new Error('User: arn:aws:iam::1:user/a is not authorized to perform: iam:GetUser on resource: x'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const r = await runInProcess(['thing', 'list', '--json'], { commands: fakeCommands(async () => { throw err; }) });
    const parsed = JSON.parse(r.stderr.trim()) as { error: { message: string; remedy: string } };
    expect(parsed.error.message).toContain('iam:GetUser');
    expect(parsed.error.remedy).toContain('grant iam:GetUser');
  });

  it('--debug shows the stack trace', async () => {
    const r = await runInProcess(['thing', 'list', '--debug'], { commands: fakeCommands(async () => { throw new Error('kaboom'); }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('a command can return its own exit code', async () => {
    const r = await runInProcess(['thing', 'list'], { commands: fakeCommands(async () => 1) });
    expect(r.code).toBe(1);
  });

  it('NO_COLOR and --no-color keep ANSI out of output even with FORCE_COLOR', async () => {
    const fail = fakeCommands(async () => { throw new UsageError('bad'); });
    const forced = await runInProcess(['thing', 'list'], { commands: fail, stderrTTY: true, env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toMatch(/\u001b\[/);
    const noColor = await runInProcess(['thing', 'list'], { commands: fail, stderrTTY: true, env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(noColor.stderr).not.toMatch(/\u001b\[/);
    const flag = await runInProcess(['thing', 'list', '--no-color'], { commands: fail, stderrTTY: true, env: { FORCE_COLOR: '1' } });
    expect(flag.stderr).not.toMatch(/\u001b\[/);
  });

  it('bare invocation detection treats global options as no command', () => {
    expect(isBareInvocation([])).toBe(true);
    expect(isBareInvocation(['--region', 'us-west-2', '--no-color'])).toBe(true);
    expect(isBareInvocation(['--region=us-west-2'])).toBe(true);
    expect(isBareInvocation(['--help'])).toBe(false);
    expect(isBareInvocation(['findings'])).toBe(false);
  });
});
