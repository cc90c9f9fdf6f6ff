/** Containment of a whole incident: the plan, its manual steps, and undoing an audited plan. */
export * from './model.js';
export * from './plan.js';
export * from './manual.js';
export * from './undo.js';
export * from './commands.js';
export * from './calls.js';
