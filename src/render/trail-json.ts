/**
 * The `gd-ir trail --json` contract (docs/json/trail.md), built by explicit mappers from the trail
 * model. Raw values (user agents, parameters) are kept as AWS recorded them; only `--raw` adds the
 * LookupEvents record itself.
 */
import { commandLines, type RunScope } from '../core/suggestion.js';
import type { DerivedCredential } from '../core/trail/index.js';
import type { TrailEvent, TrailResult, TrailSummary } from '../core/trail/index.js';

export const TRAIL_SCHEMA_VERSION = 1;

export interface TrailEventJson {
  eventId: string;
  time: string;
  region: string;
  eventSource: string;
  eventName: string;
  sourceIp: string | null;
  userAgent: string | null;
  accessKeyId: string | null;
  userName: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  failed: boolean;
  readOnly: boolean | null;
  category: string;
  accessLevel: string | null;
  resources: Array<{ type: string; name: string }>;
  requestParameters: unknown;
  derived: boolean;
  viaKey: string | null;
  controlCharacters: boolean;
  raw?: { lookupEvent: Record<string, unknown>; cloudTrailEvent: Record<string, unknown> | null };
}

export function trailEventToJson(e: TrailEvent, opts: { raw?: boolean } = {}): TrailEventJson {
  const out: TrailEventJson = {
    eventId: e.eventId,
    time: e.time,
    region: e.region,
    eventSource: e.eventSource,
    eventName: e.eventName,
    sourceIp: e.sourceIp ?? null,
    userAgent: e.userAgent ?? null,
    accessKeyId: e.accessKeyId ?? null,
    userName: e.userName ?? null,
    errorCode: e.errorCode ?? null,
    errorMessage: e.errorMessage ?? null,
    failed: e.failed,
    readOnly: e.readOnly ?? null,
    category: e.category,
    accessLevel: e.accessLevel ?? null,
    resources: e.resources.map((r) => ({ type: r.type, name: r.name })),
    requestParameters: e.requestParameters ?? null,
    derived: e.derived,
    viaKey: e.viaKey ?? null,
    controlCharacters: e.controlCharacters,
  };
  if (opts.raw) {
    const l = e.raw.lookup;
    out.raw = {
      lookupEvent: {
        EventId: l.EventId ?? null,
        EventName: l.EventName ?? null,
        ReadOnly: l.ReadOnly ?? null,
        AccessKeyId: l.AccessKeyId ?? null,
        EventTime: l.EventTime instanceof Date ? l.EventTime.toISOString() : null,
        EventSource: l.EventSource ?? null,
        Username: l.Username ?? null,
        Resources: l.Resources ?? [],
      },
      cloudTrailEvent: e.raw.record ?? null,
    };
  }
  return out;
}

export function derivedCredentialToJson(d: DerivedCredential): Record<string, unknown> {
  return {
    accessKeyId: d.accessKeyId,
    via: d.via,
    parentAccessKeyId: d.parentAccessKeyId ?? null,
    issuedAt: d.issuedAt,
    region: d.region,
    sourceIp: d.sourceIp ?? null,
    userAgent: d.userAgent ?? null,
    expiration: d.expiration ?? null,
    expiresAt: d.expiresAt ?? null,
    assumedArn: d.assumedArn ?? null,
    eventId: d.eventId,
  };
}

export function trailSummaryToJson(s: TrailSummary): Record<string, unknown> {
  return {
    totalEvents: s.totalEvents,
    firstEvent: s.firstEvent ?? null,
    lastEvent: s.lastEvent ?? null,
    readOnlyEvents: s.readOnlyEvents,
    writeEvents: s.writeEvents,
    errorEvents: s.errorEvents,
    derivedEvents: s.derivedEvents,
    controlCharacterEvents: s.controlCharacterEvents,
    byApi: s.byApi.map((a) => ({ eventSource: a.eventSource, eventName: a.eventName, count: a.count, errors: a.errors, category: a.category })),
    byService: s.byService.map((a) => ({ eventSource: a.eventSource, count: a.count })),
    sourceIps: s.sourceIps.map((a) => ({ ip: a.ip, count: a.count, first: a.first, last: a.last, findingIp: a.findingIp })),
    userAgents: s.userAgents.map((a) => ({ userAgent: a.userAgent, count: a.count, first: a.first, last: a.last })),
    errors: {
      total: s.errors.total,
      byCode: s.errors.byCode.map((c) => ({ code: c.code, count: c.count })),
      withoutCode: s.errors.withoutCode.map((w) => ({ eventName: w.eventName, message: w.message ?? null, count: w.count })),
      accessDeniedBursts: s.errors.accessDeniedBursts.map((b) => ({ count: b.count, first: b.first, last: b.last, apis: [...b.apis] })),
    },
    regions: s.regions.map((r) => ({ region: r.region, count: r.count })),
    categories: s.categories.map((c) => ({ category: c.category, count: c.count, apis: [...c.apis] })),
  };
}

export function trailToJson(result: TrailResult, opts: { raw?: boolean; scope?: RunScope } = {}): Record<string, unknown> {
  const req = result.request;
  const f = req.filters;
  return {
    schemaVersion: TRAIL_SCHEMA_VERSION,
    principal: {
      accessKeyId: result.principal.accessKeyId ?? null,
      userName: result.principal.userName ?? null,
      arn: result.principal.arn ?? null,
      type: result.principal.type ?? null,
    },
    lookup: { attribute: req.lookup.attribute, value: req.lookup.value },
    window: { start: isoSeconds(req.window.start), end: isoSeconds(req.window.end) },
    regions: [...req.regions],
    finding: req.findingId ? { id: req.findingId, remoteIp: req.findingIp ?? null } : null,
    filters: {
      events: [...f.events],
      source: f.source ?? null,
      ip: f.ip ?? null,
      errorsOnly: f.errorsOnly,
      access: f.access ?? null,
    },
    fetchedEvents: result.fetchedEvents,
    events: result.events.map((e) => trailEventToJson(e, opts)),
    derivedCredentials: result.derivedCredentials.map(derivedCredentialToJson),
    summary: trailSummaryToJson(result.summary),
    truncated: result.truncated,
    warnings: [...result.warnings],
    source: sourceToJson(result, opts.scope),
    stats: {
      requests: result.stats.requests,
      pages: result.stats.pages,
      throttles: result.stats.throttles,
      throttleWaitMs: result.stats.throttleWaitMs,
      retries: result.stats.retries,
      slices: result.stats.slices,
      elapsedMs: result.stats.elapsedMs,
    },
  };
}

/** Where the trail was read: `lookup`, `local`, `s3` or `athena`, with what was read. */
export function sourceToJson(result: TrailResult, scope?: RunScope): Record<string, unknown> {
  const src = result.source;
  if (!src) return { kind: 'lookup', description: 'CloudTrail event history (LookupEvents)', scan: null, athena: null, suggestions: [] };
  return {
    kind: src.kind,
    description: src.description,
    scan: src.scan ? { ...src.scan } : null,
    athena: src.athena ? { workgroup: src.athena.workgroup, scannedBytes: src.athena.scannedBytes, costUsd: src.athena.costUsd, queries: src.athena.queries.map((q) => ({ ...q })) } : null,
    suggestions: commandLines(src.suggestions, scope),
  };
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
