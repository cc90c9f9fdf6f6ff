/** `gd-ir watch`'s pure core: what an event after containment means, and when containment happened. */
import { describe, expect, it } from 'vitest';
import type { AuditOperation, AuditRecord } from '../../../src/core/audit.js';
import { parseLookupEvent } from '../../../src/core/trail/index.js';
import { containmentFromAudit, containmentState, succeeded, summarise, verdictOf } from '../../../src/core/watch.js';

const at = (iso: string) => Date.parse(iso);

function event(o: Record<string, unknown>) {
  const rec = { eventID: String(o.eventID ?? 'e1'), eventTime: '2026-11-30T12:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', awsRegion: 'us-east-1', userIdentity: { accessKeyId: 'AKIAQBACKUPSVCKEY001' }, ...o };
  return parseLookupEvent({ EventId: rec.eventID, CloudTrailEvent: JSON.stringify(rec) }, 'us-east-1');
}

function op(o: Partial<AuditRecord> & { state?: AuditOperation['state'] }): AuditOperation {
  const r: AuditRecord = {
    v: 1, kind: 'outcome', time: '2026-11-30T11:00:00Z', operationId: o.operationId ?? 'x', action: 'deactivate', accessKeyId: 'AKIAQBUILDPIPELINE01', userName: 'build-pipeline',
    findingId: null, accountId: '111122223333', region: 'us-west-2', callerArn: 'arn', statusBefore: 'Active', statusAfter: 'Inactive', verified: true, error: null, gdIrVersion: 't', ...o,
  };
  return { operationId: r.operationId, intent: { ...r, kind: 'intent' }, outcome: r, state: o.state ?? 'complete' };
}

describe('verdicts', () => {
  it('a success after containment is a failure; a denial held; before containment is context', () => {
    const contained = at('2026-11-30T11:59:00Z');
    expect(verdictOf(event({}), contained)).toBe('failure');
    expect(verdictOf(event({ errorCode: 'AccessDenied' }), contained)).toBe('denied');
    expect(verdictOf(event({ errorCode: 'Client.UnauthorizedOperation' }), contained)).toBe('denied');
    expect(verdictOf(event({ errorCode: 'NoSuchEntityException' }), contained)).toBe('error');
    expect(verdictOf(event({}), at('2026-11-30T12:01:00Z'))).toBe('before');
    // A failed console sign-in has no errorCode: not a success.
    expect(succeeded(event({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Failure' }, errorMessage: 'Failed authentication' }))).toBe(false);
    expect(succeeded(event({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Success' } }))).toBe(true);
    expect(summarise([{ verdict: 'failure', accessKeyId: 'K1' }, { verdict: 'failure', accessKeyId: 'K1' }, { verdict: 'denied' }, { verdict: 'before' }])).toEqual({
      events: 4, failures: 2, denied: 1, errors: 0, before: 1, failedCredentials: ['K1'],
    });
  });
});

describe('containment time from the audit log', () => {
  it('the last verified containing step about the finding, its keys or its user; undo plans and failures do not count', () => {
    const ops = [
      op({ operationId: 'a', time: '2026-11-30T10:00:00Z', findingId: 'f1' }),
      op({ operationId: 'b', time: '2026-11-30T10:05:00Z', findingId: 'f1', planId: 'p1', step: 9, target: 'trail management-events', action: 'start-logging' }),
      op({ operationId: 'c', time: '2026-11-30T10:09:00Z', findingId: 'f1', state: 'failed', verified: false, error: 'denied' }),
      op({ operationId: 'e', time: '2026-11-30T10:20:00Z', findingId: 'f2', accessKeyId: 'AKIAOTHER00000000001', userName: 'someone-else' }),
    ];
    expect(containmentFromAudit(ops, { findingId: 'f1', accessKeyIds: [] })).toEqual({ time: '2026-11-30T10:05:00Z', planId: 'p1', what: 'plan p1 (last verified step 9: trail management-events)' });
    expect(containmentFromAudit(ops, { accessKeyIds: ['AKIAQBUILDPIPELINE01'] })?.time).toBe('2026-11-30T10:05:00Z');
    expect(containmentFromAudit(ops, { accessKeyIds: [], userName: 'someone-else' })?.what).toBe('deactivate of AKIAOTHER00000000001');
    expect(containmentFromAudit(ops, { findingId: 'f9', accessKeyIds: ['AKIANOBODY0000000001'] })).toBeUndefined();
    // An undo plan's own steps (a reactivation, a re-attached policy) are never containment.
    const undoOnly = [op({ operationId: 'u', time: '2026-11-30T10:10:00Z', findingId: 'f1', action: 'attach-policy', planId: 'p2', undoOf: 'p1' })];
    expect(containmentState(undoOnly, { findingId: 'f1', accessKeyIds: [] })).toEqual({});
  });

  it('a plan undone later (contain --undo) is no longer in place: nothing is, and the state says which and by what', () => {
    const ops = [
      op({ operationId: 'a', time: '2026-11-30T10:00:00Z', findingId: 'f1' }),
      op({ operationId: 'b', time: '2026-11-30T10:05:00Z', findingId: 'f1', planId: 'p1', step: 9, target: 'trail management-events', action: 'start-logging' }),
      // The undo plan reactivates the key: it reverses both plan p1 and the earlier remediate deactivation of that key.
      op({ operationId: 'd', time: '2026-11-30T10:10:00Z', findingId: 'f1', action: 'reactivate', planId: 'p2', undoOf: 'p1' }),
    ];
    expect(containmentState(ops, { findingId: 'f1', accessKeyIds: [] })).toEqual({
      undone: { time: '2026-11-30T10:05:00Z', planId: 'p1', what: 'plan p1 (last verified step 9: trail management-events)', undoneAt: '2026-11-30T10:10:00Z', undoneBy: 'plan p2' },
    });
    expect(containmentFromAudit(ops, { findingId: 'f1', accessKeyIds: [] })).toBeUndefined();
    // Contained again afterwards: that plan is in place.
    const again = [...ops, op({ operationId: 'g', time: '2026-11-30T10:30:00Z', findingId: 'f1', planId: 'p3', step: 1, target: 'key AKIAQBUILDPIPELINE01' })];
    expect(containmentState(again, { findingId: 'f1', accessKeyIds: [] })).toEqual({ containment: { time: '2026-11-30T10:30:00Z', planId: 'p3', what: 'plan p3 (last verified step 1: key AKIAQBUILDPIPELINE01)' } });
  });

  it('remediate --undo: a reactivation reverses that key\'s deactivation, a restore reverses revoked sessions; other keys stay contained', () => {
    const ops = [
      op({ operationId: 'a', time: '2026-11-30T10:00:00Z' }),
      op({ operationId: 'b', time: '2026-11-30T10:01:00Z', action: 'revoke-sessions' }),
      op({ operationId: 'c', time: '2026-11-30T10:02:00Z', accessKeyId: 'AKIAOTHER00000000001', userName: 'someone-else' }),
      op({ operationId: 'd', time: '2026-11-30T10:03:00Z', action: 'reactivate' }),
      op({ operationId: 'e', time: '2026-11-30T10:04:00Z', action: 'restore-sessions' }),
    ];
    expect(containmentState(ops, { accessKeyIds: ['AKIAQBUILDPIPELINE01'], userName: 'build-pipeline' })).toEqual({
      undone: { time: '2026-11-30T10:01:00Z', what: 'revoke-sessions of AKIAQBUILDPIPELINE01', undoneAt: '2026-11-30T10:04:00Z', undoneBy: 'restore-sessions of AKIAQBUILDPIPELINE01' },
    });
    expect(containmentState(ops, { accessKeyIds: ['AKIAQBUILDPIPELINE01', 'AKIAOTHER00000000001'] }).containment?.what).toBe('deactivate of AKIAOTHER00000000001');
    // A reactivation that failed reverses nothing.
    const failed = [ops[0] as AuditOperation, op({ operationId: 'f', time: '2026-11-30T10:03:00Z', action: 'reactivate', state: 'failed', verified: false })];
    expect(containmentFromAudit(failed, { accessKeyIds: ['AKIAQBUILDPIPELINE01'] })?.time).toBe('2026-11-30T10:00:00Z');
  });
});
