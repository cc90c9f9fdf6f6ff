/** What the attacker changed: classification, read-backs and their meaning, commands (see model.ts). */
export * from './model.js';
export * from './classify.js';
export * from './probes.js';
export * from './sweep.js';
export * from './trust.js';
export { CHANGE_CATEGORIES, CHANGE_CATEGORY_LABELS, changeCategory } from '../data/change-kinds.js';
