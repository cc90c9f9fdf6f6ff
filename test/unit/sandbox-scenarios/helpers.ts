import type { CloudTrailRecord, World } from '../../../src/sandbox/model.js';

export const NOW = new Date('2025-03-10T12:34:56.789Z');

export function allEvents(w: World): CloudTrailRecord[] {
  return Object.values(w.regions).flatMap((r) => r.events);
}

export function byKey(w: World, accessKeyId: string): CloudTrailRecord[] {
  return allEvents(w).filter((e) => e.userIdentity.accessKeyId === accessKeyId);
}

export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const ISO_S = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
