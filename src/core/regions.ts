/**
 * The AWS commercial regions where GuardDuty is available, for `--regions all`.
 * Source: the GuardDuty endpoints table in the AWS General Reference ("Amazon GuardDuty endpoints and
 * quotas") and the regional availability page of the GuardDuty user guide, checked November 2026.
 * GovCloud and China partitions are left out on purpose: they need other credentials and endpoints.
 * Opt-in regions (af-south-1, ap-east-1, …) answer only when the account has enabled them; callers
 * treat a failure there as "skipped", not as a fatal error.
 */
export const GUARDDUTY_REGIONS: readonly string[] = Object.freeze([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
]);

/** Regions that exist only for accounts that opted in (a call there fails until the account enables them). */
export const OPT_IN_REGIONS: ReadonlySet<string> = new Set([
  'af-south-1',
  'ap-east-1',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
]);

/** `--regions` value (already parsed by parseRegionList) → the concrete list, `all` expanded. */
export function resolveRegionList(value: readonly string[] | 'all'): string[] {
  return value === 'all' ? [...GUARDDUTY_REGIONS] : [...value];
}
