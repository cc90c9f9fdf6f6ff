import { defineConfig } from 'vitest/config';

/**
 * The suites that parse or print times run again under two time zones far from UTC, one on each side of it:
 * anything gd-ir reads or writes must name the same instants under TZ=Asia/Tokyo and TZ=America/New_York as under
 * UTC (a zone-less CloudTrail date read with Date.parse shifts by the offset). Unit suites only, to keep the cost
 * low: the real-records harness compares whole runs across zones itself (child processes), and the built binary
 * is checked under TZ=Asia/Tokyo in test/e2e/binary.test.ts.
 */
const TIME_SENSITIVE = [
  'test/unit/trail/**/*.test.ts',
  'test/unit/findings/**/*.test.ts',
  'test/unit/investigate/**/*.test.ts',
  'test/unit/render/**/*.test.ts',
  'test/unit/remediate/**/*.test.ts',
  'test/unit/sandbox-scenarios/**/*.test.ts',
  'test/unit/triage/**/*.test.ts',
  'test/unit/cli/validate.test.ts',
  'test/unit/time-zone.test.ts',
];

const zone = (tz: string) => ({
  extends: true as const,
  test: { name: `TZ=${tz}`, include: TIME_SENSITIVE, env: { TZ: tz, GD_IR_TEST_TZ: tz } },
});

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [{ extends: true, test: { name: 'all', include: ['test/**/*.test.ts'] } }, zone('Asia/Tokyo'), zone('America/New_York')],
  },
});
