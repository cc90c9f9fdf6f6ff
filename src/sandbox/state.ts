/**
 * The persisted state overlay: the journal of effects (src/sandbox/effects.ts) made since the scenario was built.
 * The world itself is never serialized (the `large` world is tens of MB): at each start the scenario is rebuilt
 * relative to now() and the journal is replayed on top, so relative times stay fresh and the file stays small.
 *
 * File format (version 2): `{ "version": 2, "scenario": "workshop", "effects": [Effect, …] }`.
 * Version-1 files (three maps: keyStatus, userPolicies, archived; the primary account implied) are migrated on
 * load and rewritten as version 2. The file is written atomically (temporary file + rename) and is readable by
 * its owner only (0600): effects that create credentials carry sandbox-only secrets.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Effect } from './effects.js';
import { isRecord } from './wire.js';

export const OVERLAY_VERSION = 2;
const FILE_MODE = 0o600;

export interface Overlay {
  version: typeof OVERLAY_VERSION;
  scenario: string;
  /** For scenarios that pin their timeline (src/sandbox/scenarios/index.ts): the anchor of the world the effects were made on. */
  anchor?: string;
  effects: Effect[];
}

export function emptyOverlay(scenario: string): Overlay {
  return { version: OVERLAY_VERSION, scenario, effects: [] };
}

/** Minimal shape check of a journal entry (the file is the sandbox's own; anything else is skipped). */
function looksLikeEffect(v: unknown): v is Effect {
  return isRecord(v) && typeof v.kind === 'string' && typeof v.account === 'string';
}

/** Version 1 (one account, three maps) → the equivalent effects of the primary account. */
export function migrateV1(parsed: Record<string, unknown>, primaryAccount: string): Effect[] {
  const out: Effect[] = [];
  if (isRecord(parsed.keyStatus)) {
    for (const [accessKeyId, status] of Object.entries(parsed.keyStatus)) {
      if (status === 'Active' || status === 'Inactive') out.push({ kind: 'accessKeyStatus', account: primaryAccount, accessKeyId, status });
    }
  }
  if (isRecord(parsed.userPolicies)) {
    for (const [userName, pols] of Object.entries(parsed.userPolicies)) {
      if (!isRecord(pols)) continue;
      for (const [policyName, document] of Object.entries(pols)) {
        if (typeof document === 'string') out.push({ kind: 'userPolicyPut', account: primaryAccount, userName, policyName, document });
        else if (document === null) out.push({ kind: 'userPolicyDelete', account: primaryAccount, userName, policyName });
      }
    }
  }
  if (isRecord(parsed.archived)) {
    for (const [region, ids] of Object.entries(parsed.archived)) {
      if (!isRecord(ids)) continue;
      for (const [id, v] of Object.entries(ids)) {
        if (isRecord(v) && typeof v.archived === 'boolean' && typeof v.at === 'string') {
          out.push({ kind: 'findingsArchived', account: primaryAccount, region, findingIds: [id], archived: v.archived, at: v.at });
        }
      }
    }
  }
  return out;
}

export interface LoadedOverlay {
  overlay: Overlay;
  /** True when the file was version 1 and should be rewritten. */
  migrated: boolean;
}

/**
 * Reads an overlay file. A missing, unreadable or foreign-scenario file yields an empty overlay (reported through
 * `log`). `primaryAccount` names the account of a version-1 file's entries.
 */
export function loadOverlay(path: string, scenario: string, primaryAccount: string, log?: (line: string) => void): LoadedOverlay {
  const empty = { overlay: emptyOverlay(scenario), migrated: false };
  if (!existsSync(path)) return empty;
  try {
    restrictMode(path);
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isRecord(parsed) || (parsed.version !== 1 && parsed.version !== OVERLAY_VERSION)) {
      throw new Error(`not a sandbox state overlay (version 1 or ${OVERLAY_VERSION})`);
    }
    if (parsed.scenario !== scenario) {
      log?.(`sandbox: state ${path} belongs to scenario ${String(parsed.scenario)}; ignoring it`);
      return empty;
    }
    if (parsed.version === 1) return { overlay: { ...emptyOverlay(scenario), effects: migrateV1(parsed, primaryAccount) }, migrated: true };
    const effects = Array.isArray(parsed.effects) ? parsed.effects : [];
    const valid = effects.filter(looksLikeEffect);
    if (valid.length !== effects.length) log?.(`sandbox: state ${path}: skipped ${effects.length - valid.length} malformed entries`);
    const anchor = typeof parsed.anchor === 'string' && !Number.isNaN(Date.parse(parsed.anchor)) ? { anchor: parsed.anchor } : {};
    return { overlay: { ...emptyOverlay(scenario), ...anchor, effects: valid }, migrated: false };
  } catch (err) {
    log?.(`sandbox: cannot read state ${path}: ${err instanceof Error ? err.message : String(err)}; starting fresh`);
    return empty;
  }
}

/** The pinned anchor of a scenario's state file, read before the scenario is built (undefined when none or unreadable). */
export function peekAnchor(path: string, scenario: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isRecord(parsed) || parsed.scenario !== scenario || typeof parsed.anchor !== 'string') return undefined;
    return Number.isNaN(Date.parse(parsed.anchor)) ? undefined : parsed.anchor;
  } catch {
    return undefined;
  }
}

/** An overlay file left readable by others (written by an older gd-ir) is made owner-only. */
function restrictMode(path: string): void {
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, FILE_MODE);
  } catch {
    /* not ours to fix (e.g. another owner); reading still works or fails on its own */
  }
}

/** JSON with one effect per line: small, and readable in a diff. */
export function serializeOverlay(overlay: Overlay): string {
  const anchor = overlay.anchor !== undefined ? `"anchor":${JSON.stringify(overlay.anchor)},` : '';
  const head = `{"version":${overlay.version},"scenario":${JSON.stringify(overlay.scenario)},${anchor}"effects":[`;
  if (overlay.effects.length === 0) return `${head}]}\n`;
  return `${head}\n${overlay.effects.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
}

/** Writes the overlay atomically (temporary file + rename), owner-readable only. */
export function saveOverlay(path: string, overlay: Overlay): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, serializeOverlay(overlay), { encoding: 'utf8', mode: FILE_MODE });
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw err;
  }
}

export function deleteOverlay(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* absent already */
  }
}

/**
 * The live journal: effects are appended as they are applied and written out by `flush()`. The server flushes once
 * per request, after the handler and before the response is sent (a write that fails turns the reply into a 500),
 * so a success never promises a change the file does not hold, and a request that applies many effects costs one
 * write.
 */
export class Journal {
  private dirty = false;
  constructor(
    private overlay: Overlay,
    private readonly path: string | undefined,
  ) {}

  get effects(): readonly Effect[] {
    return this.overlay.effects;
  }

  get anchor(): string | undefined {
    return this.overlay.anchor;
  }

  /** Pins the timeline: the first time only (later effects were made on the same world). */
  pinAnchor(anchor: string): void {
    if (this.overlay.anchor !== undefined) return;
    this.overlay.anchor = anchor;
    this.dirty = true;
  }

  append(effect: Effect): void {
    this.overlay.effects.push(effect);
    this.dirty = true;
  }

  /** Writes the file even when nothing changed (a migrated version-1 file becomes version 2). */
  rewrite(): void {
    this.dirty = true;
    this.flush();
  }

  flush(): void {
    if (!this.dirty) return;
    if (this.path) saveOverlay(this.path, this.overlay);
    this.dirty = false;
  }

  /** Forgets every effect and deletes the file. */
  reset(scenario: string): void {
    this.overlay = emptyOverlay(scenario);
    this.dirty = false;
    if (this.path) deleteOverlay(this.path);
  }
}
