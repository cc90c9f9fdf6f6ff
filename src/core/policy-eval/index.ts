/** The focused IAM policy evaluator (evaluator.ts: statements and decisions; analyze.ts: grants and risks). */
export * from './evaluator.js';
export * from './analyze.js';
