/** The trail module's public surface (see model.ts for the data, the other files for the decisions). */
export * from './model.js';
export * from './parse.js';
export * from './window.js';
export * from './filters.js';
export * from './finding.js';
export * from './summary.js';
export * from './derived.js';
export * from './source.js';
export * from './builder.js';
export * from './time.js';
export * from './outcome.js';
