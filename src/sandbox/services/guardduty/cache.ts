/** Per-sandbox GuardDuty indexes and result snapshots (for token paging), per account and region. */
import type { GuardDutyFinding, RegionData } from '../../model.js';
import { BoundedCache } from '../../wire.js';

interface RegionIndex {
  src: GuardDutyFinding[];
  len: number;
  generation: number;
  byId: Map<string, GuardDutyFinding>;
  sortedById: GuardDutyFinding[];
}

export class GuardDutyCache {
  private generation = 0;
  private readonly indexes = new Map<string, RegionIndex>();
  readonly snapshots = new BoundedCache<string[]>(128);
  /** Parsed `additionalInfo.value` JSON, per object. */
  readonly parsedInfo = new WeakMap<object, unknown>();

  /** The index of one account's findings in one region; rebuilt when the array is replaced or changes length. */
  index(accountId: string, region: string, data: RegionData): RegionIndex {
    const key = `${accountId}|${region}`;
    const cur = this.indexes.get(key);
    if (cur && cur.src === data.findings && cur.len === data.findings.length) return cur;
    const sortedById = [...data.findings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const idx: RegionIndex = {
      src: data.findings,
      len: data.findings.length,
      generation: ++this.generation,
      byId: new Map(data.findings.map((f) => [f.id, f])),
      sortedById,
    };
    this.indexes.set(key, idx);
    return idx;
  }
}
