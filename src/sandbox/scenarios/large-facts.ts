/**
 * The notable, fixed facts of the `large` scenario (generated from LargeParams; see docs/scenarios.md).
 * Everything else in the scenario is drawn from a seeded PRNG.
 */
export const LARGE = {
  accountId: '111122223333',
  /** The busy principal: exactly `eventsPerKey` CloudTrail events with its key in the last 20 hours. */
  busy: {
    userName: 'svc-etl-busy',
    userId: 'AIDALARGEBUSYUSER0001',
    accessKeyId: 'AKIALARGEBUSYKEY0001',
    secretAccessKey: 'sandbox/large/busy/secret/not-a-real-key/0001',
    inlinePolicyName: 'svc-etl-busy-inline',
    /** The events' source IP and user agent. */
    ip: '198.51.100.150',
    userAgent: 'aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/ssm#1.52.3',
  },
  /** The first finding: UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom (severity 5) on the busy key. */
  busyFindingId: 'a1a1a1a1b2b2b2b2c3c3c3c3d4d4d4d4',
  threatListName: 'Large-Example-Threat-List',
  /** How far back the busy key's events go. */
  eventsWindowHours: 20,
  /** Noise events generated per other user. */
  noiseEventsPerUser: 12,
} as const;

/** The parameters of the `large` scenario (buildScenario('large', { params })). */
export interface LargeParams {
  findings: number;
  users: number;
  eventsPerKey: number;
  regions: string[];
  seed: number;
  detectorRegion: string;
}

export const LARGE_DEFAULTS: LargeParams = Object.freeze({
  findings: 10_000,
  users: 50,
  eventsPerKey: 5_000,
  regions: Object.freeze(['us-west-2', 'us-east-1', 'eu-west-1']) as unknown as string[],
  seed: 1,
  detectorRegion: 'us-west-2',
});
