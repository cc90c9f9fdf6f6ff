/**
 * The investigation module's public surface. Inside, one file per concern: model (inputs), sections
 * (the registry), principal, activity, timeline, usage, blast radius, recommendation (one builder per
 * principal kind), data source, and assemble (the model the renderers print).
 */
export * from './model.js';
export * from './sections.js';
export * from './principal.js';
export * from './activity.js';
export * from './timeline.js';
export * from './usage.js';
export * from './blast-radius.js';
export * from './recommendation.js';
export { SAFE_KEY, watchKey } from './recommend-common.js';
export * from './roles.js';
export * from './data-source.js';
export * from './changes.js';
export * from './assemble.js';
