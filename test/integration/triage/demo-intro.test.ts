import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseEnv, runInProcess, ScriptedPrompter } from '../../helpers/cli.js';

describe('gd-ir demo on a narrow terminal', () => {
  const state = mkdtempSync(join(tmpdir(), 'gd-ir-demo-intro-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));
  const env = baseEnv({ XDG_STATE_HOME: state, NO_COLOR: '1' });

  it('wraps the three story lines at word boundaries with a hanging indent', async () => {
    const r = await runInProcess(['demo'], { stdinTTY: true, stderrTTY: true, stdoutTTY: true, columns: 60, env, prompter: new ScriptedPrompter([{ kind: 'quit' }]) });
    expect(r.code).toBe(0);
    const intro = r.stdout.split('\n').slice(0, r.stdout.split('\n').findIndex((l) => l.startsWith('gd-ir (sandbox)')));
    expect(intro.join('\n')).toBe(
      [
        'The incident: IAM user',
        "  GuardDuty-Example-Compromised-Simulated's access key",
        '  AKIAQCOMPROMISED0EX1 leaked.',
        'The alert: GuardDuty saw it used from 198.51.100.77, an IP',
        '  on your custom threat list (all local: no AWS account).',
        'Your move: pick',
        '  UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom, read',
        '  the investigation, contain the key.',
        '',
      ].join('\n'),
    );
    for (const line of intro) expect(line.length).toBeLessThanOrEqual(60);
  });
});
