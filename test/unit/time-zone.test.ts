/**
 * The time-zone projects of vitest.config.ts really run in their zones (otherwise they would prove nothing): the
 * zone the runtime uses is the one TZ names, and its offset from UTC is not zero.
 */
import { describe, expect, it } from 'vitest';

describe('time zone of this run', () => {
  // GD_IR_TEST_TZ is set by the time-zone projects only; the default project has nothing to check.
  it.runIf(process.env.GD_IR_TEST_TZ)('is the one the project names', () => {
    const tz = process.env.GD_IR_TEST_TZ;
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(tz);
    // Both zones the config uses are hours away from UTC all year.
    expect(Math.abs(new Date('2026-01-15T12:00:00Z').getTimezoneOffset())).toBeGreaterThanOrEqual(300);
  });
});
