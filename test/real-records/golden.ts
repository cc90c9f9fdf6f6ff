/**
 * Golden files of the real-records harness: compared exactly; `UPDATE_GOLDEN=1 npx vitest run test/real-records`
 * rewrites them deliberately (review the diff: each change is a change in what gd-ir prints for a real record).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { ROOT } from '../helpers/bin.js';

export const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));
export const UPDATE = process.env.UPDATE_GOLDEN === '1';

export function expectGolden(relPath: string, actual: string): void {
  const path = join(GOLDEN_DIR, relPath);
  if (UPDATE) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden ${relPath} is missing: run UPDATE_GOLDEN=1 npx vitest run test/real-records and review it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** Runs child.ts under another TZ; resolves to {caseId: golden text} of its --json cases. */
export function runChild(kind: 'findings' | 'trail', tz: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/real-records/child.ts', kind], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: '/nonexistent-home', TZ: tz },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`child.ts ${kind} under TZ=${tz} exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout) as Record<string, string>);
    });
  });
}
