/**
 * The GuardDuty finding model. Pure: no I/O. `normalizeFinding` turns either casing into one lowerCamel
 * form; `toFindingSummary` and `toFindingDetail` derive the views every command shares (findings, trail,
 * investigate, remediate, triage).
 */
export * from './model.js';
export { at } from './read.js';
export * from './normalize.js';
export * from './views.js';
export * from './explain.js';
export * from './order.js';
export * from './runtime.js';
