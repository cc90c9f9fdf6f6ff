/**
 * The console end to end in a real pseudo-terminal (tmux): `gd-ir demo` on an isolated state directory,
 * filter and pick the custom-threat-list finding, read the report, deactivate the key by typing its ID,
 * see it confirmed; then a second run (`gd-ir --sandbox`, which keeps the demo's state) shows the key
 * Inactive in the report. Assertions are on the screen text only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseEnv } from '../helpers/cli.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';

const ROOT = resolve(import.meta.dirname, '../..');
const KEY = WORKSHOP.compromised.accessKeyId;
const CUSTOM = 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom';
const HAVE_TMUX = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
const SOCKET = `gd-ir-triage-pty-${process.pid}`;
const WIDTH = 140;
const HEIGHT = 45;

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** The visible screen, or with `history` everything since the session started. */
function screen(session: string, history = false): string {
  return tmux('capture-pane', '-p', '-J', '-t', session, ...(history ? ['-S', '-', '-E', '-'] : []));
}

async function waitFor(session: string, predicate: (visible: string, all: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let visible = '';
  while (Date.now() < deadline) {
    visible = screen(session);
    if (predicate(visible, screen(session, true))) return visible;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${visible}`);
}

const keys = (session: string, ...k: string[]): void => void tmux('send-keys', '-t', session, ...k);
const type = (session: string, text: string): void => void tmux('send-keys', '-t', session, '-l', text);
const count = (text: string, needle: string): number => text.split(needle).length - 1;
const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

describe.skipIf(!HAVE_TMUX)('the triage console in a pseudo-terminal (tmux)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gd-ir-triage-pty-'));
  const env = baseEnv({ XDG_STATE_HOME: join(dir, 'state'), TERM: 'xterm-256color', LANG: 'C.UTF-8' });
  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    rmSync(dir, { recursive: true, force: true });
  });

  function start(session: string, args: string): void {
    const exports = Object.entries(env)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([k, v]) => `export ${k}=${shellQuote(v)}`);
    const script = join(dir, `${session}.sh`);
    writeFileSync(
      script,
      [...exports, `cd ${shellQuote(ROOT)}`, `${shellQuote(process.execPath)} --import tsx src/cli/entry.ts ${args}`, 'echo "EXIT=$?"', 'sleep 120', ''].join('\n'),
    );
    tmux('new-session', '-d', '-s', session, '-x', String(WIDTH), '-y', String(HEIGHT), `sh ${shellQuote(script)}`);
  }

  it('demo: pick the Custom finding, read the report, deactivate the key, see it Inactive', async () => {
    start('demo', 'demo');
    const list = await waitFor('demo', (s) => s.includes('Pick a finding'), 'the findings list');
    expect(list).toContain('The incident:');
    expect(list).toMatch(/gd-ir \(sandbox\) · account 111122223333 · us-west-2 · user\/ir-analyst · detector \S+ · 11 findings: High 3 · Medium 5 · Low 3/);
    expect(list).toContain(CUSTOM);

    // Type to filter: only the IAM user's custom-threat-list finding is left.
    type('demo', 'IAMUser/Malicious');
    const picked = new RegExp(`❯ Medium +${CUSTOM.replace(/[/.]/g, '\\$&')} +GuardDuty-Example-Compromised`);
    const filtered = await waitFor('demo', (s) => /Esc quits\) IAMUser\/Malicious/.test(s) && picked.test(s), 'the filtered list');
    expect(filtered).not.toContain('Exfiltration:S3');
    expect(filtered).toContain('Recon:IAMUser/MaliciousIPCaller.Custom');
    keys('demo', 'Enter');

    // The investigation: spinner, then the summary and the section menu.
    await waitFor('demo', (s) => s.includes('Report: Enter reads the next section'), 'the report', 30_000);
    const summary = screen('demo', true);
    expect(summary).toContain(`${CUSTOM} · Medium (5)`);
    expect(summary).toContain('── Summary');
    // Enter walks the sections in order.
    for (const title of ['── Activity', '── Changes', '── Permissions', '── Blast radius', '── Recommendation']) {
      keys('demo', 'Enter');
      await waitFor('demo', (_s, all) => all.includes(title), `section ${title}`);
    }
    const report = screen('demo', true);
    expect(report).toContain('198.51.100.77');
    expect(report).toContain(`$ gd-ir remediate --key ${KEY}`);
    await waitFor('demo', (s) => /❯ → Actions/.test(s), 'Actions pre-selected');
    keys('demo', 'Enter');

    const actions = await waitFor('demo', (s) => s.includes('Action (Esc: back to the report)'), 'the action menu');
    expect(actions).toContain(`❯ ★ Deactivate access key ${KEY}`);
    keys('demo', 'Enter');

    const plan = await waitFor('demo', (s) => s.includes('type the access key ID'), 'the typed confirmation');
    expect(plan).toContain(`Remediation plan for access key ${KEY}`);
    type('demo', KEY);
    keys('demo', 'Enter');
    const done = await waitFor('demo', (s) => s.includes(`${KEY} is now Inactive (verified)`) && s.includes('❯ ★ Revoke active sessions'), 'the verified result');
    // The key is not offered again; the next recommended step (revoke the sessions) is pre-selected.
    expect(done).toMatch(new RegExp(`Deactivate the access key \\(${KEY} is already Inactive\\)`));

    // The whole-incident plan is offered next to the single-key actions.
    expect(done).toContain('Contain everything (plan)');

    // Leave from the menu: Quit is six rows below.
    for (let i = 0; i < 6; i++) keys('demo', 'Down');
    await waitFor('demo', (s) => /❯ +Quit/.test(s), 'Quit highlighted');
    keys('demo', 'Enter');
    const end = await waitFor('demo', (s) => s.includes('EXIT='), 'the exit');
    // Nothing half-drawn: the shell's next line starts at column 0; the cursor is visible.
    expect(end).toMatch(/^EXIT=0$/m);
    expect(tmux('display-message', '-p', '-t', 'demo', '#{cursor_flag}').trim()).toBe('1');
  }, 120_000);

  it('a second run keeps the demo\'s state: the report shows the key Inactive; Esc backs out level by level (exit 130)', async () => {
    start('again', '--sandbox');
    await waitFor('again', (s) => s.includes('Pick a finding'), 'the findings list');
    type('again', `${CUSTOM.split(':')[0]} ${KEY.slice(0, 12)} custom`);
    await waitFor('again', (s) => s.includes(`❯ Medium    ${CUSTOM}`) && !s.includes('Recon:IAMUser'), 'the filtered list');
    keys('again', 'Enter');
    await waitFor('again', (s) => s.includes('Report: Enter reads the next section'), 'the report', 30_000);
    for (const title of ['── Activity', '── Changes', '── Permissions', '── Blast radius']) {
      keys('again', 'Enter');
      await waitFor('again', (_s, all) => all.includes(title), `section ${title}`);
    }
    const all = screen('again', true);
    const blast = all.slice(all.lastIndexOf('── Blast radius'));
    expect(blast).toMatch(new RegExp(`${KEY} ◀ finding +Inactive`));

    // Esc: report menu → list → quit (130), leaving a clean terminal.
    keys('again', 'Escape');
    await waitFor('again', (_s, a) => count(a, 'Pick a finding') >= 2, 'back at the list');
    keys('again', 'Escape');
    const end = await waitFor('again', (s) => s.includes('EXIT='), 'the exit');
    expect(end).toMatch(/^EXIT=130$/m);
    expect(tmux('display-message', '-p', '-t', 'again', '#{cursor_flag}').trim()).toBe('1');
  }, 120_000);
});

// Only where tmux is missing: a labelled stand-in, so a run with tmux reports no skipped test at all.
if (!HAVE_TMUX) {
  describe('the triage console in a pseudo-terminal', () => {
    it.skip('skipped: tmux is not installed (install tmux to run the pseudo-terminal test)', () => {});
  });
}
