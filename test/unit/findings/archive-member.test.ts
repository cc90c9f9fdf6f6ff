/**
 * GuardDuty: "Only the administrator account can archive findings. Member accounts don't have permission to
 * archive findings from their accounts." A member's ArchiveFindings fails with BadRequestException (400),
 * which must come with a remedy saying so, not just the raw message.
 */
import { describe, expect, it } from 'vitest';
import { archiveFindings } from '../../../src/aws/guardduty.js';
import type { Context } from '../../../src/cli/context.js';
import { AwsError } from '../../../src/core/errors.js';

function ctxThrowing(err: unknown): Pick<Context, 'aws' | 'signal'> {
  const client = { send: async () => Promise.reject(err) };
  return { aws: { guardDuty: async () => client } as unknown as Context['aws'], signal: new AbortController().signal };
}

describe('archiveFindings in a member account', () => {
  it('BadRequestException → AwsError (exit 1) whose remedy names the administrator account', async () => {
    const sdkError = Object.assign(new Error('The request is rejected because the current account is not allowed to archive findings.'), {
      name: 'BadRequestException',
      $metadata: { httpStatusCode: 400 },
    });
    const err = await archiveFindings(ctxThrowing(sdkError), 'us-west-2', 'd'.repeat(32), ['f'.repeat(32)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsError);
    expect(err).toMatchObject({ exitCode: 1, awsCode: 'BadRequestException', operation: 'guardduty:ArchiveFindings' });
    expect((err as AwsError).message).toContain('guardduty:ArchiveFindings failed: The request is rejected');
    expect((err as AwsError).remedy).toMatch(/only the administrator account can archive its findings/);
  });

  it('other errors pass through unchanged', async () => {
    const denied = Object.assign(new Error('not authorized to perform: guardduty:ArchiveFindings'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    const err = await archiveFindings(ctxThrowing(denied), 'us-west-2', 'd'.repeat(32), ['f'.repeat(32)]).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 4, permission: 'guardduty:ArchiveFindings' });
  });
});
