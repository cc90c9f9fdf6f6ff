/**
 * A finding arrives in one of two casings: the SDK / AWS CLI form (`Service.Action.AwsApiCallAction`, members in
 * PascalCase) or the wire / EventBridge / console-export form (`service.action.awsApiCallAction`, lowerCamel).
 * `normalizeFinding` turns either into one lowerCamel form.
 */
import { UsageError } from '../errors.js';
import type { Finding, JsonObject } from './model.js';
import { isObject, num, obj, str } from './read.js';


/**
 * Model members whose wire name (locationName) is not the member name with a lower-case first letter, from the
 * Finding shape of botocore's guardduty 2017-11-28 service-2.json (test/unit/findings/normalize-model.test.ts diffs
 * this table against the model on the machine). Both the SDK's and the wire's name map to one normalised key.
 */
const RENAMED: Record<string, string> = {
  Latitude: 'lat',
  Longitude: 'lon',
  Code: 'productCodeId',
  ProductType: 'productCodeType',
  SourceIps: 'sourceIps',
  sourceIPs: 'sourceIps',
  // Ec2Instance.IamInstanceProfile and RdsLoginAttemptAction.LoginAttributes keep PascalCase on the wire.
  IamInstanceProfile: 'iamInstanceProfile',
  LoginAttributes: 'loginAttributes',
  // EcsTaskDetails.TaskCreatedAt is `createdAt` on the wire; KubernetesWorkload.KubernetesResourcesTypes is `type`.
  TaskCreatedAt: 'createdAt',
  KubernetesResourcesTypes: 'type',
};

/** Renames that hold only inside one member (keyed by that member's normalised name): Account.Name is `account`. */
const RENAMED_WITHIN: Record<string, Record<string, string>> = {
  account: { Name: 'account' },
};

/** Members that are maps: their keys are data (`AWS::S3::Bucket`), not member names, and stay as they are. */
export const MAP_MEMBERS: ReadonlySet<string> = new Set(['affectedResources', 'behavior', 'profiles', 'countBySeverity']);

/** The normalised name of a member key found inside the member `parent` (its normalised name, if any). */
export function normalisedKey(key: string, parent?: string): string {
  const within = parent === undefined ? undefined : RENAMED_WITHIN[parent]?.[key];
  if (within) return within;
  const renamed = RENAMED[key];
  if (renamed) return renamed;
  return /^[A-Z][A-Za-z0-9]*$/.test(key) ? key[0]?.toLowerCase() + key.slice(1) : key;
}

/** Deep copy with member names in lowerCamel; Dates (SDK timestamps) become ISO strings. */
export function toLowerCamel(value: unknown, keepKeys = false, parent?: string): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toLowerCamel(v, false, parent));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    const key = keepKeys ? k : normalisedKey(k, parent);
    out[key] = toLowerCamel(v, MAP_MEMBERS.has(key), key);
  }
  return out;
}

function readAdditionalInfo(service: JsonObject): JsonObject {
  const info = service.additionalInfo;
  if (!isObject(info)) return {};
  let parsed: JsonObject = {};
  if (typeof info.value === 'string' && info.value.length <= 1_000_000) {
    try {
      const v: unknown = JSON.parse(info.value);
      if (isObject(v)) parsed = toLowerCamel(v) as JsonObject;
    } catch {
      /* a malformed value is ignored: the rest of the finding is still worth showing */
    }
  }
  const flattened: JsonObject = {};
  for (const [k, v] of Object.entries(info)) if (k !== 'value' && k !== 'type') flattened[k] = v;
  return { ...parsed, ...flattened };
}

/**
 * Normalises a finding in either casing. Throws UsageError when the object is not a finding at all
 * (no string id/type or no numeric severity), which is what file input needs.
 */
export function normalizeFinding(raw: unknown, where = 'finding'): Finding {
  if (!isObject(raw)) throw new UsageError(`${where} is not a GuardDuty finding: expected a JSON object`);
  const f = toLowerCamel(raw) as JsonObject;
  const id = f.id;
  const type = f.type;
  const severity = num(f.severity);
  if (typeof id !== 'string' || id === '') throw new UsageError(`${where} is not a GuardDuty finding: it has no "id"`);
  if (typeof type !== 'string' || type === '') throw new UsageError(`${where} is not a GuardDuty finding: it has no "type"`);
  if (severity === null) throw new UsageError(`${where} is not a GuardDuty finding: it has no numeric "severity"`);
  const service = obj(f.service);
  return {
    id,
    type,
    severity,
    title: str(f.title) ?? '',
    description: str(f.description) ?? '',
    accountId: str(f.accountId) ?? '',
    region: str(f.region) ?? '',
    arn: str(f.arn) ?? '',
    partition: str(f.partition) ?? '',
    createdAt: str(f.createdAt) ?? '',
    updatedAt: str(f.updatedAt) ?? '',
    resource: obj(f.resource),
    service,
    additionalInfo: readAdditionalInfo(service),
    raw,
  };
}
