/**
 * Real GuardDuty findings (test/fixtures/real/guardduty, origins in ORIGINS.md) through `findings show`,
 * `findings list` and `investigate` with --from-file, text and --json, against golden files; then the --json
 * outputs again under Asia/Tokyo and America/New_York, which must equal the UTC ones.
 * Regenerate the goldens deliberately with UPDATE_GOLDEN=1 (see golden.ts).
 */
process.env.TZ = 'UTC';
import { beforeAll, describe, expect, it } from 'vitest';
import { findingCases, loadIndex, runCases } from './corpus.js';
import { expectGolden, runChild } from './golden.js';

const cases = findingCases();
let utc: Record<string, string> = {};

beforeAll(async () => {
  utc = await runCases(cases);
}, 120_000);

describe('real GuardDuty findings: golden outputs (TZ=UTC)', () => {
  it('covers every finding file of the corpus index with six runs', () => {
    const files = loadIndex().filter((e) => e.kind === 'guardduty');
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(cases).toHaveLength(files.length * 6);
  });
  for (const c of cases) {
    it(c.id, () => {
      const out = utc[c.id];
      expect(out, 'the run produced output').toBeDefined();
      expectGolden(`findings/${c.id}.txt`, out as string);
    });
  }
  it('never prints a stack trace, and every file with exactly one finding is shown (exit 0)', () => {
    for (const e of loadIndex().filter((x) => x.kind === 'guardduty')) {
      const stem = e.file.replace(/^guardduty\//, '').replace(/\.json$/, '');
      for (const kind of ['show', 'list', 'investigate']) expect(utc[`${stem}.${kind}.text`]).not.toMatch(/\n\s+at /);
      // A GetFindings response may hold zero or several findings: show then asks for an ID (exit 2).
      if (e.shape !== 'getfindings-wire') expect(utc[`${stem}.show.json`], stem).toMatch(/^exit 0$/m);
    }
  });
});

describe('real GuardDuty findings: --json is the same in every time zone', () => {
  for (const tz of ['Asia/Tokyo', 'America/New_York']) {
    describe(tz, () => {
      let other: Record<string, string> = {};
      beforeAll(async () => {
        other = await runChild('findings', tz);
      }, 120_000);
      for (const c of cases.filter((x) => x.json)) {
        it(c.id, () => {
          expect(other[c.id]).toBe(utc[c.id]);
        });
      }
    });
  }
});
