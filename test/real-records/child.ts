/**
 * Child process of the real-records harness: runs the same cases under the TZ it was started with and prints
 * {caseId: golden text} as JSON, so the tests can compare outputs across time zones.
 *   TZ=Asia/Tokyo node --import tsx test/real-records/child.ts findings|trail
 */
import { findingCases, runCases, trailCases } from './corpus.js';

const kind = process.argv[2];
const cases = kind === 'findings' ? findingCases() : kind === 'trail' ? trailCases() : undefined;
if (!cases) {
  process.stderr.write('usage: child.ts findings|trail\n');
  process.exit(2);
}
const out = await runCases(cases.filter((c) => c.json));
process.stdout.write(JSON.stringify(out));
