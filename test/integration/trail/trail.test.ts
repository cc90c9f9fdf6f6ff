/**
 * `gd-ir trail` in-process against the workshop sandbox, through the real SDK (CloudTrail rate limit
 * off here: test/integration/trail/large.test.ts runs with it on).
 */
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli.js';
import { useSandbox } from '../../helpers/sandbox.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { WORKSHOP_TIMELINE } from '../../../src/sandbox/scenarios/workshop.js';
import type { RequestRecord } from '../../../src/sandbox/index.js';

interface JsonEvent {
  eventId: string;
  time: string;
  region: string;
  eventSource: string;
  eventName: string;
  sourceIp: string | null;
  userAgent: string | null;
  accessKeyId: string | null;
  errorCode: string | null;
  category: string;
  accessLevel: string | null;
  readOnly: boolean | null;
  derived: boolean;
  viaKey: string | null;
  controlCharacters: boolean;
}
interface TrailJson {
  schemaVersion: number;
  principal: { accessKeyId: string | null; userName: string | null; arn: string | null };
  lookup: { attribute: string; value: string };
  window: { start: string; end: string };
  regions: string[];
  events: JsonEvent[];
  derivedCredentials: Array<{ accessKeyId: string; via: string; region: string; sourceIp: string; issuedAt: string }>;
  summary: { totalEvents: number; sourceIps: Array<{ ip: string; count: number; findingIp: boolean }>; categories: Array<{ category: string; apis: string[] }> };
  truncated: boolean;
  warnings: string[];
  stats: { throttles: number };
}

const C = WORKSHOP.compromised;
/** The sandbox's rate limit is off in this file, so pace faster than AWS allows to keep the tests quick. */
const FAST = ['--rate', '10'];
const lookups = (reqs: RequestRecord[]): RequestRecord[] => reqs.filter((r) => r.service === 'cloudtrail' && r.operation === 'LookupEvents');
const attr = (r: RequestRecord): { AttributeKey: string; AttributeValue: string } | undefined =>
  (r.input as { LookupAttributes?: Array<{ AttributeKey: string; AttributeValue: string }> }).LookupAttributes?.[0];

describe('gd-ir trail (workshop)', () => {
  const sb = useSandbox();

  it('--finding: the attacker cron from the threat-list IP (IAM in us-east-1), the earlier CI use, the session token and its derived key', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['trail', '--finding', WORKSHOP.findings.unauthorizedAccessCustom, '--follow', '--json', ...FAST], { env: sb.env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as TrailJson;
    expect(j.schemaVersion).toBe(1);
    expect(j.lookup).toEqual({ attribute: 'AccessKeyId', value: C.accessKeyId });
    expect(j.principal).toMatchObject({ accessKeyId: C.accessKeyId, userName: C.userName, arn: `arn:aws:iam::${WORKSHOP.accountId}:user/${C.userName}` });
    expect(j.regions).toEqual(['us-west-2', 'us-east-1']);
    expect(Date.parse(j.window.end) - Date.parse(j.window.start)).toBeGreaterThan(24 * 3_600_000);

    // Every event exactly once.
    expect(new Set(j.events.map((e) => e.eventId)).size).toBe(j.events.length);

    const own = j.events.filter((e) => !e.derived);
    const attacker = own.filter((e) => e.sourceIp === WORKSHOP.threatListIp);
    for (const name of WORKSHOP_TIMELINE.cronCalls) {
      expect(attacker.filter((e) => e.eventName === name).length, name).toBeGreaterThanOrEqual(WORKSHOP_TIMELINE.cronRuns);
    }
    const attackerIam = attacker.filter((e) => e.eventSource === 'iam.amazonaws.com');
    expect(attackerIam.length).toBeGreaterThan(0);
    expect(attackerIam.every((e) => e.region === 'us-east-1')).toBe(true);
    const corporate = own.filter((e) => e.sourceIp === WORKSHOP.corporateIp);
    expect(corporate.length).toBeGreaterThan(40);
    expect(corporate.every((e) => e.userAgent === WORKSHOP.ciUserAgent && e.errorCode === null)).toBe(true);
    const firstAttack = Math.min(...attacker.map((e) => Date.parse(e.time)));
    expect(corporate.some((e) => Date.parse(e.time) < firstAttack)).toBe(true);

    const gst = own.find((e) => e.eventName === 'GetSessionToken');
    expect(gst).toMatchObject({ region: 'us-east-1', sourceIp: WORKSHOP.threatListIp, category: 'persistence' });
    expect(j.derivedCredentials).toEqual([
      expect.objectContaining({ accessKeyId: C.derivedSessionKeyId, via: 'GetSessionToken', region: 'us-east-1', sourceIp: WORKSHOP.threatListIp, issuedAt: gst?.time }),
    ]);
    const derived = j.events.filter((e) => e.derived);
    expect(derived.length).toBeGreaterThanOrEqual(4);
    expect(derived.every((e) => e.accessKeyId === C.derivedSessionKeyId && e.viaKey === C.accessKeyId)).toBe(true);
    expect(derived.some((e) => e.controlCharacters && e.userAgent === WORKSHOP.hostileUserAgent)).toBe(true);

    const getParameters = attacker.find((e) => e.eventName === 'GetParameters');
    expect(getParameters).toMatchObject({ category: 'credential-access', accessLevel: 'Read', errorCode: null });
    const createUser = attacker.find((e) => e.eventName === 'CreateUser');
    expect(createUser).toMatchObject({ category: 'persistence', errorCode: 'AccessDenied', accessLevel: 'Write', readOnly: false, region: 'us-east-1' });

    expect(j.summary.sourceIps[0]).toMatchObject({ ip: WORKSHOP.threatListIp, findingIp: true });
    expect(j.summary.sourceIps.find((s) => s.ip === WORKSHOP.corporateIp)).toMatchObject({ findingIp: false });
    expect(j.truncated).toBe(false);
    expect(j.stats.throttles).toBe(0);

    // What the sandbox received: key lookups in both regions, the derived key only after the principal's.
    const sent = lookups(sb.get().requests.slice(before));
    const principal = sent.filter((q) => attr(q)?.AttributeValue === C.accessKeyId);
    expect(new Set(principal.map((q) => q.region))).toEqual(new Set(['us-west-2', 'us-east-1']));
    expect(principal.every((q) => attr(q)?.AttributeKey === 'AccessKeyId')).toBe(true);
    const follow = sent.filter((q) => attr(q)?.AttributeValue === C.derivedSessionKeyId);
    expect(new Set(follow.map((q) => q.region))).toEqual(new Set(['us-west-2', 'us-east-1']));
    expect(Math.min(...follow.map((q) => q.seq))).toBeGreaterThan(Math.max(...principal.map((q) => q.seq)));
  });

  it('--user looks up by Username; the default window is the last 24 hours', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['trail', '--user', C.userName, '--json', ...FAST], { env: sb.env() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as TrailJson;
    expect(j.lookup).toEqual({ attribute: 'Username', value: C.userName });
    expect(Date.parse(j.window.end) - Date.parse(j.window.start)).toBe(24 * 3_600_000);
    const sent = lookups(sb.get().requests.slice(before));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.map(attr).every((a) => a?.AttributeKey === 'Username' && a.AttributeValue === C.userName)).toBe(true);
    const input = sent[0]?.input as { StartTime: number; EndTime: number; MaxResults: number };
    expect(input.EndTime - input.StartTime).toBe(24 * 3600);
    expect(input.MaxResults).toBe(50);
    expect(j.events.length).toBeGreaterThan(0);
  });

  it('human output: the summary, then the timeline, with hostile strings neutralised', async () => {
    const r = await runInProcess(['trail', '--key', C.derivedSessionKeyId, '--since', '2h', ...FAST], { env: sb.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`CloudTrail activity of access key ${C.derivedSessionKeyId}`);
    for (const section of ['What it did', 'Source IPs', 'User agents', 'Calls by API', 'Errors (', 'Timeline (newest first']) expect(r.stdout).toContain(section);
    expect(r.stdout).toContain('[!] aws-cli/1.18.147 Python/3.11.9');
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(r.stderr).toBe('');
  });

  it('client-side filters: --event, --ip, --errors-only, --write-only', async () => {
    const r = await runInProcess(
      ['trail', '--key', C.accessKeyId, '--since', '3h', '--event', 'createuser', '--event', 'GetUser', '--ip', WORKSHOP.threatListIp, '--errors-only', '--json', ...FAST],
      { env: sb.env() },
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as TrailJson & { fetchedEvents: number };
    expect(j.events.length).toBeGreaterThanOrEqual(2 * WORKSHOP_TIMELINE.cronRuns);
    expect(j.events.every((e) => ['CreateUser', 'GetUser'].includes(e.eventName) && e.sourceIp === WORKSHOP.threatListIp && e.errorCode === 'AccessDenied')).toBe(true);
    expect(j.fetchedEvents).toBeGreaterThan(j.events.length);
    expect(j.summary.totalEvents).toBe(j.events.length);

    const w = await runInProcess(['trail', '--key', C.accessKeyId, '--since', '3h', '--write-only', '--source', 'iam', '--json', ...FAST], { env: sb.env() });
    const wj = JSON.parse(w.stdout) as TrailJson;
    expect(wj.events.length).toBeGreaterThan(0);
    expect(wj.events.every((e) => e.readOnly === false && e.eventSource === 'iam.amazonaws.com')).toBe(true);
  });

  it('shows progress on a terminal stderr only, never with --json', async () => {
    const tty = await runInProcess(['trail', '--key', C.accessKeyId, '--since', '3h', ...FAST], { env: sb.env(), stdoutTTY: true, stderrTTY: true, columns: 120 });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/Reading CloudTrail · \d+ events · \d+ pages · regions 2\/2 done/);
    expect(tty.stderr.endsWith('\r\u001b[2K')).toBe(true);
    expect(tty.stdout).toMatch(/^ {2}\d+m ago +us-/m);
    const json = await runInProcess(['trail', '--key', C.accessKeyId, '--since', '3h', '--json', ...FAST], { env: sb.env(), stderrTTY: true });
    expect(json.stderr).toBe('');
    const piped = await runInProcess(['trail', '--key', C.accessKeyId, '--since', '3h', ...FAST], { env: sb.env() });
    expect(piped.stderr).toBe('');
  });

  it('rejects --read-only with --write-only before any AWS call (exit 2)', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['trail', '--key', C.accessKeyId, '--read-only', '--write-only'], { env: sb.env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--read-only and --write-only exclude each other');
    expect(r.stdout).toBe('');
    expect(sb.get().requests.length).toBe(before);
  });

  it('--jsonl streams one event per line and nothing else', async () => {
    const r = await runInProcess(['trail', '--key', C.accessKeyId, '--since', '90m', '--jsonl', ...FAST], { env: sb.env() });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(50);
    const events = lines.map((l) => JSON.parse(l) as JsonEvent);
    expect(events.every((e) => typeof e.eventId === 'string' && typeof e.eventName === 'string' && !('raw' in e))).toBe(true);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });

  it('--max-events truncates with a warning; a window past 90 days warns what cannot be seen', async () => {
    const r = await runInProcess(['trail', '--key', C.accessKeyId, '--since', '120d', '--max-events', '20', '--json', ...FAST], { env: sb.env() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as TrailJson;
    expect(j.events).toHaveLength(20);
    expect(j.truncated).toBe(true);
    expect(j.warnings).toEqual([
      expect.stringMatching(/^CloudTrail event history keeps only the last 90 days: events from .* \(30 days of the window\) cannot be seen/),
      'stopped at --max-events 20: older events in the window were left out (raise --max-events or narrow --since/--until)',
    ]);
    const stderr = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as { warning: string });
    expect(stderr.map((w) => w.warning)).toEqual(j.warnings);
  });

  it('access denied on LookupEvents: exit 4 naming the permission', async () => {
    sb.get().setKnobs({ deny: ['CloudTrail:LookupEvents'] });
    try {
      const r = await runInProcess(['trail', '--key', C.accessKeyId], { env: sb.env() });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('cloudtrail:LookupEvents');
      expect(r.stdout).toBe('');
    } finally {
      sb.get().setKnobs({ deny: [] });
    }
  });

  it('stops promptly on SIGINT (exit 130)', async () => {
    sb.get().setKnobs({ latencyMs: 300 });
    const controller = new AbortController();
    try {
      const before = sb.get().requests.length;
      const running = runInProcess(['trail', '--key', C.accessKeyId, '--since', '7d', '--json'], { env: sb.env(), signal: controller.signal });
      // Interrupt once the trail is paging CloudTrail (a fixed delay could fire before or after the work).
      const poll = setInterval(() => {
        if (lookups(sb.get().requests.slice(before)).length > 0) controller.abort();
      }, 10);
      const r = await running.finally(() => clearInterval(poll));
      expect(controller.signal.aborted, 'the trail finished before it was interrupted').toBe(true);
      expect(r.code).toBe(130);
      expect(r.stdout).toBe('');
    } finally {
      sb.get().setKnobs({ latencyMs: 0 });
    }
  });
});

describe('gd-ir trail: console sign-ins (workshop: dev-alice)', () => {
  const sb = useSandbox();
  const D = WORKSHOP.developer;
  type SignInJson = Omit<TrailJson, 'events' | 'summary'> & {
    events: Array<JsonEvent & { failed: boolean; errorMessage: string | null }>;
    summary: TrailJson['summary'] & { errorEvents: number; errors: { withoutCode: Array<{ eventName: string; message: string | null; count: number }> } };
  };

  it('--user reads the regions sign-ins land in by default, and failed sign-ins are errors without an errorCode', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['trail', '--user', D.userName, '--since', '3d', '--event', 'ConsoleLogin', '--json', ...FAST], { env: sb.env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as SignInJson;
    // Current region, us-east-1, and the three regions the global sign-in endpoint records IAM users' sign-ins in.
    expect(j.regions).toEqual(['us-west-2', 'us-east-1', 'us-east-2', 'eu-north-1', 'ap-southeast-2']);
    expect(new Set(lookups(sb.get().requests.slice(before)).map((q) => q.region))).toEqual(new Set(j.regions));
    const ok = j.events.filter((e) => !e.failed);
    const failed = j.events.filter((e) => e.failed);
    // Her own sign-ins (alias cookie) are in us-east-2; a key lookup or the old default (us-west-2 + us-east-1) misses them.
    expect(ok.length).toBeGreaterThanOrEqual(2);
    for (const e of ok) expect(e).toMatchObject({ region: D.signInRegion, errorCode: null, errorMessage: null, category: 'ordinary' });
    expect(failed).toHaveLength(WORKSHOP.passwordGuessing.attempts);
    for (const e of failed) {
      expect(e).toMatchObject({ region: 'us-east-1', sourceIp: WORKSHOP.passwordGuessing.ip, errorCode: null, errorMessage: 'Failed authentication', category: 'credential-access' });
    }
    expect(j.summary.errorEvents).toBe(WORKSHOP.passwordGuessing.attempts);
    expect(j.summary.errors.withoutCode).toEqual([{ eventName: 'ConsoleLogin', message: 'Failed authentication', count: WORKSHOP.passwordGuessing.attempts }]);
  });

  it('--errors-only keeps the failed sign-ins; the text names them', async () => {
    const r = await runInProcess(['trail', '--user', D.userName, '--since', '3d', '--errors-only', '--event', 'consolelogin', ...FAST], { env: sb.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Errors (${WORKSHOP.passwordGuessing.attempts})`);
    expect(r.stdout).toContain(`ConsoleLogin failed (Failed authentication) ${WORKSHOP.passwordGuessing.attempts}`);
    const rows = r.stdout.split('\n').filter((l) => / ConsoleLogin /.test(l) && /Failed authentication$/.test(l.trimEnd()));
    expect(rows).toHaveLength(WORKSHOP.passwordGuessing.attempts);
  });
});

describe('gd-ir trail with transient faults (faultRate 0.3)', () => {
  const sb = useSandbox({ faultRate: 0.3, faultSeed: 7 });

  it('retries 500s, 503s, throttles and resets: every event exactly once, no error', async () => {
    const before = sb.get().requests.length;
    const r = await runInProcess(['trail', '--key', C.accessKeyId, '--since', '1d', '--json', ...FAST], { env: sb.env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as TrailJson;
    const world = sb.get().world;
    const since = Date.parse(j.window.start);
    const until = Date.parse(j.window.end);
    const expected = new Set<string>();
    for (const region of ['us-west-2', 'us-east-1']) {
      for (const e of world.regions[region]?.events ?? []) {
        const t = Date.parse(e.eventTime);
        if (e.userIdentity.accessKeyId === C.accessKeyId && t >= since && t <= until) expected.add(e.eventID);
      }
    }
    expect(j.events.map((e) => e.eventId).sort()).toEqual([...expected].sort());
    const faults = lookups(sb.get().requests.slice(before)).filter((q) => q.fault);
    expect(new Set(faults.map((f) => f.fault))).toEqual(new Set(['error500', 'error503', 'throttle', 'reset']));
  });
});
