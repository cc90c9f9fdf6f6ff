/** CloudTrail event names as gd-ir matches them (a leaf module: the trail declaration loads it for --help). */

/**
 * An event name without the API version some services append: Lambda records `AddPermission20150331v2`,
 * `UpdateFunctionCode20150331v2`, `CreateFunction20150331` (the suffix changes with the API version: `v2` came later;
 * test/fixtures/real: stratus-addpermission20150331v2.json, elastic-createfunction20150331.json), CloudFront
 * `UpdateDistribution2020_05_31`. gd-ir matches events by this name, so a new suffix cannot hide a call.
 */
export function eventBaseName(eventName: string): string {
  return eventName.replace(/(?:\d{8}(?:v\d+)?|\d{4}_\d{2}_\d{2})$/, '') || eventName;
}

/** Whether two event names name the same API (case-insensitive, API version suffixes ignored). */
export function sameEventName(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || eventBaseName(a).toLowerCase() === eventBaseName(b).toLowerCase();
}
