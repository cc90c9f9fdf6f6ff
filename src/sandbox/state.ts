/**
 * The persisted state overlay: only the mutations made through the API (key statuses, user inline
 * policies, archived flags), keyed by anchor-independent identities (key IDs, user/policy names,
 * region + finding ID). The scenario is rebuilt at each start relative to now() and the overlay is
 * re-applied on top, so relative times stay fresh and the file stays tiny.
 */
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { World } from './model.js';
import { isRecord } from './wire.js';

export interface Overlay {
  version: 1;
  scenario: string;
  keyStatus: Record<string, 'Active' | 'Inactive'>;
  /** user → policy name → document text, or null when deleted. */
  userPolicies: Record<string, Record<string, string | null>>;
  /** region → finding ID → archived flag and when it changed (ISO). */
  archived: Record<string, Record<string, { archived: boolean; at: string }>>;
}

export function emptyOverlay(scenario: string): Overlay {
  return { version: 1, scenario, keyStatus: {}, userPolicies: {}, archived: {} };
}

/** Reads an overlay file; a missing, unreadable or foreign-scenario file yields an empty overlay. */
export function loadOverlay(path: string, scenario: string, log?: (line: string) => void): Overlay {
  if (!existsSync(path)) return emptyOverlay(scenario);
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isRecord(parsed) || parsed.version !== 1) throw new Error('not a sandbox state overlay (version 1)');
    if (parsed.scenario !== scenario) {
      log?.(`sandbox: state ${path} belongs to scenario ${String(parsed.scenario)}; ignoring it`);
      return emptyOverlay(scenario);
    }
    const o = emptyOverlay(scenario);
    if (isRecord(parsed.keyStatus)) {
      for (const [k, v] of Object.entries(parsed.keyStatus)) if (v === 'Active' || v === 'Inactive') o.keyStatus[k] = v;
    }
    if (isRecord(parsed.userPolicies)) {
      for (const [user, pols] of Object.entries(parsed.userPolicies)) {
        if (!isRecord(pols)) continue;
        const m: Record<string, string | null> = {};
        for (const [name, doc] of Object.entries(pols)) if (typeof doc === 'string' || doc === null) m[name] = doc;
        o.userPolicies[user] = m;
      }
    }
    if (isRecord(parsed.archived)) {
      for (const [region, ids] of Object.entries(parsed.archived)) {
        if (!isRecord(ids)) continue;
        const m: Record<string, { archived: boolean; at: string }> = {};
        for (const [id, v] of Object.entries(ids)) {
          if (isRecord(v) && typeof v.archived === 'boolean' && typeof v.at === 'string') m[id] = { archived: v.archived, at: v.at };
        }
        o.archived[region] = m;
      }
    }
    return o;
  } catch (err) {
    log?.(`sandbox: cannot read state ${path}: ${err instanceof Error ? err.message : String(err)}; starting fresh`);
    return emptyOverlay(scenario);
  }
}

/** Writes the overlay atomically (temporary file + rename). */
export function saveOverlay(path: string, overlay: Overlay): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, JSON.stringify(overlay, null, 2) + '\n', 'utf8');
  renameSync(tmp, path);
}

export function deleteOverlay(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* absent already */
  }
}

/** Re-applies the overlay's mutations to a freshly built world. Unknown keys/users/findings are skipped. */
export function applyOverlay(world: World, overlay: Overlay): void {
  for (const [keyId, status] of Object.entries(overlay.keyStatus)) {
    const key = world.iam.accessKeys[keyId];
    if (key) key.status = status;
  }
  for (const [userName, pols] of Object.entries(overlay.userPolicies)) {
    const user = world.iam.users[userName];
    if (!user) continue;
    for (const [name, doc] of Object.entries(pols)) {
      if (doc === null) delete user.inlinePolicies[name];
      else user.inlinePolicies[name] = doc;
    }
  }
  for (const [region, ids] of Object.entries(overlay.archived)) {
    const data = world.regions[region];
    if (!data) continue;
    const wanted = new Map(Object.entries(ids));
    for (const f of data.findings) {
      const change = wanted.get(f.id);
      if (!change) continue;
      f.service.archived = change.archived;
      if (Date.parse(change.at) > Date.parse(f.updatedAt)) f.updatedAt = change.at;
    }
  }
}
