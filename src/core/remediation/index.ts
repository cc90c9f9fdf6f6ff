/** Remediation of one access key: the model, the revoke policy, and the plan with its guards. */
export * from './model.js';
export * from './revoke-policy.js';
export * from './plan.js';
