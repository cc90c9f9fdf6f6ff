/**
 * A simulated attacker who keeps using the credentials it holds while the sandbox runs, so containment can be seen
 * to hold or fail (`gd-ir watch`). Each tick, every credential of the scenario's script makes its next call (they
 * rotate), answered according to the current state, as AWS would:
 * - a key that no longer authenticates (deactivated, deleted, expired session) gets nothing recorded: the request
 *   fails authentication (whether CloudTrail logs such requests is not documented; docs/sandbox.md);
 * - a session whose user carries a "revoke older sessions" deny gets AccessDenied (explicit deny), recorded;
 * - otherwise the caller's identity policies decide (src/sandbox/policy-check.ts): AccessDenied when they do not
 *   allow the action (a detached AdministratorAccess, an attached quarantine policy), else success; recorded.
 * Calls go through `RunningSandbox.recordCall`, the same path as any call made outside the endpoint.
 */
import type { AttackerAttempt, AttackerScript } from './attacker-types.js';
import { resolveCaller } from './auth.js';
import type { CloudTrailRecord, World } from './model.js';
import { checkIdentityPolicies } from './policy-check.js';
import type { ApiCallInput } from './types.js';

export type { AttackerAttempt, AttackerCall, AttackerCredential, AttackerScript } from './attacker-types.js';

export class Attacker {
  private ticks = 0;

  constructor(
    private readonly script: AttackerScript,
    private readonly world: () => World,
    private readonly record: (call: ApiCallInput) => CloudTrailRecord | undefined,
  ) {}

  /** One round: each credential makes its next call at `at`. */
  tick(at: Date): AttackerAttempt[] {
    const round = this.ticks++;
    const out: AttackerAttempt[] = [];
    for (const cred of this.script.credentials) {
      const call = cred.calls[round % cred.calls.length];
      if (!call) continue;
      const input: ApiCallInput = {
        accessKeyId: cred.accessKeyId,
        eventSource: call.eventSource,
        eventName: call.eventName,
        region: call.region,
        readOnly: call.readOnly,
        requestParameters: call.requestParameters ?? null,
        sourceIPAddress: cred.sourceIPAddress,
        userAgent: cred.userAgent,
        time: at,
        ...(call.accessDeniedCode ? { accessDeniedCode: call.accessDeniedCode } : {}),
      };
      const auth = resolveCaller(this.world(), cred.accessKeyId, at);
      if (auth.ok && auth.revoked === undefined) {
        const decision = checkIdentityPolicies(auth.account, auth.caller, call.action, {
          'aws:principalarn': auth.caller.arn,
          'aws:principalaccount': auth.account.accountId,
          'aws:sourceip': cred.sourceIPAddress,
          'aws:currenttime': at.toISOString(),
          'aws:epochtime': String(Math.floor(at.getTime() / 1000)),
          ...(auth.caller.userName && !auth.caller.roleName ? { 'aws:username': auth.caller.userName } : {}),
        });
        if (!decision.allowed) {
          const why = decision.explicit ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${call.action} action`;
          input.error = { code: call.accessDeniedCode ?? 'AccessDenied', message: `User: ${auth.caller.arn} is not authorized to perform: ${call.action} on resource: * ${why}` };
        }
      }
      const rec = this.record(input);
      const outcome = rec === undefined ? 'rejected' : rec.errorCode ? 'denied' : 'success';
      out.push({ label: cred.label, accessKeyId: cred.accessKeyId, eventName: call.eventName, outcome, ...(rec ? { record: rec } : {}) });
    }
    return out;
  }
}
