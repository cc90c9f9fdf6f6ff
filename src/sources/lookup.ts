/**
 * CloudTrail event history (LookupEvents) as a trail source: each selector of the query is read in
 * every region of the query from its own start (a derived key from the moment it was minted), at the
 * API's pace (src/aws/cloudtrail.ts).
 */
import { LookupReader } from '../aws/cloudtrail.js';
import type { Context } from '../cli/context.js';
import type { LogQuery } from '../core/logs/match.js';
import { parseLookupEvent } from '../core/trail/index.js';
import type { ReadControl, SourceReport, SourceSink, TrailSource } from './types.js';

export class LookupSource implements TrailSource {
  readonly kind = 'lookup' as const;
  private readonly reader: LookupReader;

  constructor(ctx: Pick<Context, 'aws' | 'clock' | 'signal'>, rate?: number) {
    this.reader = new LookupReader(ctx, rate);
  }

  describe(): string {
    return 'CloudTrail event history (LookupEvents)';
  }

  async read(q: LogQuery, sink: SourceSink, ctl: ReadControl): Promise<string[]> {
    const selectors = q.selectors.map((s) => ({
      attribute: s.attribute,
      value: s.value,
      start: new Date(Math.max(q.window.start.getTime(), s.fromMs ?? -Infinity)),
      derived: s.derived === true,
      viaKey: s.viaKey,
    }));
    const viaKeys = new Map(selectors.map((s) => [`${s.attribute}=${s.value}`, s] as const));
    if (!q.regions || q.regions.length === 0) return [];
    return this.reader.read(selectors, q.regions, q.window.end, {
      onEvent: async (raw, spec) => {
        const sel = viaKeys.get(`${spec.query.attribute}=${spec.query.value}`);
        await sink.accept(parseLookupEvent(raw, spec.query.region, sel?.derived ? { derived: true, viaKey: sel.viaKey } : {}));
      },
      stopped: () => sink.truncated,
      onProgress: (p) => ctl.onProgress({ kind: 'lookup', ...p }),
    });
  }

  report(): SourceReport {
    return { stats: this.reader.stats() };
  }
}
