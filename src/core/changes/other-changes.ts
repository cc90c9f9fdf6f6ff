/**
 * Writes outside IAM as changes: CloudTrail trails (read back by gd-ir), and every other service's resources
 * (reported from the record, with a command to check them by hand). Resource names come from the record's
 * `resources`, then the request parameters and response elements each service uses (Lambda: functionName and
 * functionArn as in the published CreateFunction20150331 record; EC2: instancesSet; S3: bucketName).
 */
import type { TrailEvent } from '../trail/model.js';
import { check, lookupRecord, revert } from './commands.js';
import { isObject, lastSegment, obj, str } from './fields.js';
import type { DraftContext, ChangeDraft } from './iam-changes.js';
import type { ChangeResource } from './model.js';

function trailResource(name: string, region: string, c: DraftContext): ChangeResource {
  if (name.startsWith('arn:')) return { type: 'AWS::CloudTrail::Trail', id: lastSegment(name), arn: name };
  return { type: 'AWS::CloudTrail::Trail', id: name, ...(c.accountId ? { arn: `arn:aws:cloudtrail:${region}:${c.accountId}:trail/${name}` } : {}) };
}

export function cloudTrailChange(e: TrailEvent, c: DraftContext): ChangeDraft | undefined {
  const req = e.requestParameters;
  const trail = str(req, 'name') ?? str(req, 'trailName');
  if (!trail) return undefined;
  const resource = trailResource(trail, e.region, c);
  switch (e.eventName) {
    case 'StopLogging':
      return {
        target: { kind: 'trailLogging', trail, region: e.region },
        resource,
        summary: `stopped logging on trail ${resource.id}`,
        undo: { suggestion: revert(['cloudtrail', 'start-logging', '--name', trail], e.region), reversible: true },
        check: check(['cloudtrail', 'get-trail-status', '--name', trail], e.region),
      };
    case 'DeleteTrail':
      return {
        target: { kind: 'trailDeleted', trail, region: e.region },
        resource,
        summary: `deleted trail ${resource.id}`,
        undo: { reversible: false, note: 'recreate the trail from your infrastructure code; log files already delivered stay in its bucket' },
        check: check(['cloudtrail', 'describe-trails'], e.region),
      };
    case 'UpdateTrail':
    case 'PutEventSelectors':
    case 'PutInsightSelectors':
      return {
        target: { kind: 'recorded' },
        resource,
        summary: `changed what trail ${resource.id} records (${e.eventName})`,
        undo: { reversible: false, note: 'compare with your infrastructure code and restore the selectors by hand' },
        check: check(['cloudtrail', e.eventName === 'UpdateTrail' ? 'get-trail' : 'get-event-selectors', e.eventName === 'UpdateTrail' ? '--name' : '--trail-name', trail], e.region),
      };
    default:
      return undefined;
  }
}

/** How CloudFormation spells a service in a resource type (`AWS::EC2::…`); others keep their event-source name. */
const SERVICE_TYPE_NAMES: Readonly<Record<string, string>> = {
  iam: 'IAM', ec2: 'EC2', s3: 'S3', lambda: 'Lambda', guardduty: 'GuardDuty', kms: 'KMS', rds: 'RDS', ssm: 'SSM', sts: 'STS',
  secretsmanager: 'SecretsManager', logs: 'Logs', config: 'Config', ecs: 'ECS', eks: 'EKS', sns: 'SNS', sqs: 'SQS', ecr: 'ECR',
  organizations: 'Organizations', signin: 'SignIn', sagemaker: 'SageMaker', glue: 'Glue', codebuild: 'CodeBuild', bedrock: 'Bedrock',
  cloudformation: 'CloudFormation',
};

const typeName = (service: string): string => (Object.hasOwn(SERVICE_TYPE_NAMES, service) ? (SERVICE_TYPE_NAMES[service] as string) : service);

/** The resource a write of another service touched, from the record. */
function resourceOf(e: TrailEvent): ChangeResource {
  const req = e.requestParameters;
  const resp = e.responseElements;
  const rec = e.raw.record;
  const listed = rec && Array.isArray(rec.resources) ? rec.resources.filter(isObject) : [];
  const first = listed[0];
  const arn = first ? str(first, 'ARN') : undefined;
  const type = first ? str(first, 'type') : undefined;
  if (arn) return { type: type ?? 'unknown', id: lastSegment(arn), arn };
  const service = e.eventSource.replace(/\.amazonaws\.com$/, '');
  const fn = str(req, 'functionName');
  if (service === 'lambda' && fn) {
    const fnArn = str(resp, 'functionArn') ?? (fn.startsWith('arn:') ? fn : undefined);
    return { type: 'AWS::Lambda::Function', id: lastSegment(fn), ...(fnArn ? { arn: fnArn } : {}) };
  }
  if (service === 'ec2') {
    const items = obj(resp, 'instancesSet')?.items;
    const ids = Array.isArray(items) ? items.map((i) => str(i, 'instanceId')).filter((x): x is string => x !== undefined) : [];
    if (ids.length > 0) return { type: 'AWS::EC2::Instance', id: ids.join(',') };
    const sg = str(req, 'groupId');
    if (sg) return { type: 'AWS::EC2::SecurityGroup', id: sg };
    const snap = str(req, 'snapshotId');
    if (snap) return { type: 'AWS::EC2::Snapshot', id: snap };
  }
  const bucket = str(req, 'bucketName');
  if (service === 's3' && bucket) return { type: 'AWS::S3::Bucket', id: bucket, arn: `arn:aws:s3:::${bucket}` };
  for (const k of ['detectorId', 'keyId', 'secretId', 'name', 'roleName', 'userName', 'instanceId', 'clusterName', 'dBInstanceIdentifier', 'logGroupName', 'stackName']) {
    const v = str(req, k);
    if (v) return { type: `AWS::${typeName(service)}`, id: v };
  }
  return { type: `AWS::${typeName(service)}`, id: e.eventName };
}

/** A read-only command that shows the resource's state now, per service (the record itself otherwise). */
function checkOf(e: TrailEvent, r: ChangeResource): ChangeDraft['check'] {
  const service = e.eventSource.replace(/\.amazonaws\.com$/, '');
  const region = e.region;
  if (r.type === 'AWS::Lambda::Function') {
    return /^AddPermission|^AddLayerVersionPermission/.test(e.eventName)
      ? check(['lambda', 'get-policy', '--function-name', r.id], region)
      : check(['lambda', 'get-function', '--function-name', r.id], region);
  }
  if (r.type === 'AWS::EC2::Instance') return check(['ec2', 'describe-instances', '--instance-ids', ...r.id.split(',')], region);
  if (r.type === 'AWS::EC2::SecurityGroup') return check(['ec2', 'describe-security-groups', '--group-ids', r.id], region);
  if (r.type === 'AWS::S3::Bucket') {
    if (/Policy/.test(e.eventName)) return check(['s3api', 'get-bucket-policy', '--bucket', r.id]);
    if (/PublicAccessBlock/.test(e.eventName)) return check(['s3api', 'get-public-access-block', '--bucket', r.id]);
    if (/Acl/.test(e.eventName)) return check(['s3api', 'get-bucket-acl', '--bucket', r.id]);
  }
  if (service === 'guardduty') return check(['guardduty', 'list-detectors'], region);
  return lookupRecord(e.eventId, region);
}

/** The sentence for the writes an analyst meets most; the event name and resource otherwise. */
function summaryOf(e: TrailEvent, r: ChangeResource): string {
  const name = e.eventName.replace(/\d{8}(v\d+)?$/, '');
  const principal = str(e.requestParameters, 'principal');
  switch (`${e.eventSource.replace(/\.amazonaws\.com$/, '')}:${name}`) {
    case 'lambda:CreateFunction':
      return `created Lambda function ${r.id}`;
    case 'lambda:UpdateFunctionCode':
      return `replaced the code of Lambda function ${r.id}`;
    case 'lambda:AddPermission':
      return `allowed ${principal ?? 'another principal'} to invoke Lambda function ${r.id}`;
    case 'ec2:RunInstances':
      return `launched EC2 instance${r.id.includes(',') ? 's' : ''} ${r.id}`;
    case 'ec2:AuthorizeSecurityGroupIngress':
      return `opened inbound access in security group ${r.id}`;
    case 's3:PutBucketPolicy':
      return `set the bucket policy of ${r.id}`;
    case 'guardduty:DeleteDetector':
      return `deleted GuardDuty detector ${r.id}`;
    default:
      return `${e.eventName} on ${r.id}`;
  }
}

/** A write of a service gd-ir does not read: reported from the record, checked by hand, never changed by gd-ir. */
export function recordedChange(e: TrailEvent): ChangeDraft {
  const resource = resourceOf(e);
  const service = e.eventSource.replace(/\.amazonaws\.com$/, '');
  let undo: ChangeDraft['undo'] = { reversible: false, note: 'gd-ir does not change this service: undo it by hand once the evidence is kept' };
  const statement = str(e.requestParameters, 'statementId');
  if (service === 'lambda' && /^AddPermission/.test(e.eventName) && statement) {
    undo = { suggestion: revert(['lambda', 'remove-permission', '--function-name', resource.id, '--statement-id', statement], e.region), reversible: false };
  }
  return { target: { kind: 'recorded' }, resource, summary: summaryOf(e, resource), undo, check: checkOf(e, resource) };
}
