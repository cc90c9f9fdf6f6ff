/**
 * The Changes section: what the principal and the credentials it minted or created changed, and what of it is
 * still in place. Computed from the sweep (src/flows/changes/); absent when the trail was not gathered.
 */
import { changeCounts, type Change, type ChangesResult } from '../changes/index.js';

export interface ChangesSection {
  changes: Change[];
  counts: ReturnType<typeof changeCounts>;
  /** Changes a read-back found still as the attacker left them. */
  inPlace: number;
  /** Changes whose state gd-ir did not read (other services) or could not read. */
  unread: number;
  followed: ChangesResult['followed'];
  notFollowed: string[];
}

export function changesSection(r: ChangesResult | undefined): ChangesSection | undefined {
  if (!r) return undefined;
  const counts = changeCounts(r.changes);
  return { changes: r.changes, counts, inPlace: counts.present, unread: counts.unknown, followed: r.followed, notFollowed: r.notFollowed };
}
