import { describe, expect, it } from 'vitest';
import { AwsClients } from '../../../src/aws/clients.js';
import { archiveFindings, findDetectorId, findingCountsBySeverity, getFinding, getFindingsByIds, unarchiveFindings } from '../../../src/aws/guardduty.js';
import type { Context } from '../../../src/cli/context.js';
import { NotFoundError, RuntimeError } from '../../../src/core/errors.js';
import { SANDBOX_CREDENTIALS } from '../../../src/sandbox/index.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { useSandbox } from '../../helpers/sandbox.js';

const F = WORKSHOP.findings;
const DET = WORKSHOP.detectors['us-west-2'] as string;

describe('GuardDuty gateway (workshop sandbox)', () => {
  const sb = useSandbox();
  const ctx = (): Pick<Context, 'aws' | 'signal'> => {
    const aws = new AwsClients({ env: {}, debug: false, debugLog: () => {}, version: 'test', region: 'us-west-2', maxAttempts: 2 });
    aws.useEndpoint(sb.get().endpoint, { ...SANDBOX_CREDENTIALS }, 'us-west-2');
    return { aws, signal: new AbortController().signal };
  };

  it('finds the detector, or says there is none', async () => {
    expect(await findDetectorId(ctx(), 'us-west-2')).toBe(DET);
    expect(await findDetectorId(ctx(), 'us-west-2', 'explicit')).toBe('explicit');
    const err = await findDetectorId(ctx(), 'ap-south-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err).toMatchObject({ message: 'no GuardDuty detector in ap-south-1', exitCode: 1, code: 'no_detector' });
    expect((err as RuntimeError).remedy).toMatch(/enable GuardDuty in ap-south-1/);
  });

  it('gets findings by ID in the order asked, and one finding or NotFoundError', async () => {
    const got = await getFindingsByIds(ctx(), 'us-west-2', DET, [F.reconCustom, 'ffffffffffffffffffffffffffffffff', F.unauthorizedAccessCustom]);
    expect(got.findings.map((f) => f.id)).toEqual([F.reconCustom, F.unauthorizedAccessCustom]);
    expect(got.unreadable).toEqual([]);
    expect(got.calls).toBe(1);
    expect((await getFinding(ctx(), F.rootUsage, { region: 'us-west-2' })).detectorId).toBe(DET);
    const err = await getFinding(ctx(), 'ffffffffffffffffffffffffffffffff', { region: 'us-west-2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe(`finding ffffffffffffffffffffffffffffffff not found in detector ${DET} (region us-west-2)`);
  });

  it('counts findings by severity level with the criteria given', async () => {
    const counts = await findingCountsBySeverity(ctx(), 'us-west-2', DET, { Criterion: { 'service.archived': { Equals: ['false'] } } });
    expect(counts).toEqual({ critical: 0, high: 3, medium: 5, low: 3, total: 11 });
    const last = sb.get().requests.at(-1);
    expect(last?.operation).toBe('GetFindingsStatistics');
    // The current request shape: GroupBy SEVERITY, not the deprecated findingStatisticTypes/CountBySeverity.
    expect(last?.input).toEqual({ groupBy: 'SEVERITY', orderBy: 'DESC', maxResults: 100, findingCriteria: { criterion: { 'service.archived': { equals: ['false'] } } } });
  });

  it('archives and unarchives', async () => {
    await archiveFindings(ctx(), 'us-west-2', DET, [F.rootUsage]);
    expect((await getFinding(ctx(), F.rootUsage, { region: 'us-west-2', detectorId: DET })).finding.service.archived).toBe(true);
    await unarchiveFindings(ctx(), 'us-west-2', DET, [F.rootUsage]);
    expect((await getFinding(ctx(), F.rootUsage, { region: 'us-west-2', detectorId: DET })).finding.service.archived).toBe(false);
    const ops = sb.get().requests.slice(-4).map((r) => r.operation);
    expect(ops).toEqual(['ArchiveFindings', 'GetFindings', 'UnarchiveFindings', 'GetFindings']);
  });
});
