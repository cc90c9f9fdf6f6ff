/**
 * The `persistence` scenario's live attacker (src/sandbox/attacker.ts): every credential it holds keeps calling while
 * the sandbox runs. The calls are reads the attacker already made in the scenario's history, from the same IPs and
 * user agents; the IAM action of each is the one the Service Authorization Reference lists for it.
 */
import type { AttackerCall, AttackerScript } from '../attacker.js';
import { PERSISTENCE as F } from './persistence-facts.js';

const WEST = F.homeRegion;
const EAST = F.globalRegion;

const listBuckets: AttackerCall = {
  eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', action: 's3:ListAllMyBuckets', region: WEST, readOnly: true,
  requestParameters: { Host: `s3.${WEST}.amazonaws.com` },
};
const listUsers: AttackerCall = { eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', action: 'iam:ListUsers', region: EAST, readOnly: true };
const describeInstances: AttackerCall = {
  eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', action: 'ec2:DescribeInstances', region: WEST, readOnly: true,
  requestParameters: { instancesSet: {}, filterSet: {} }, accessDeniedCode: 'Client.UnauthorizedOperation',
};
const getParameters: AttackerCall = {
  eventSource: 'ssm.amazonaws.com', eventName: 'GetParameters', action: 'ssm:GetParameters', region: WEST, readOnly: true,
  requestParameters: { names: ['/prod/deploy/github-token'], withDecryption: true }, accessDeniedCode: 'AccessDeniedException',
};
const listSecrets: AttackerCall = {
  eventSource: 'secretsmanager.amazonaws.com', eventName: 'ListSecrets', action: 'secretsmanager:ListSecrets', region: WEST, readOnly: true,
  accessDeniedCode: 'AccessDeniedException',
};

export const PERSISTENCE_ATTACKER: AttackerScript = {
  credentials: [
    { label: 'compromised key', accessKeyId: F.compromised.accessKeyId, sourceIPAddress: F.threatListIp, userAgent: F.attackerUserAgent, calls: [getParameters, listUsers] },
    { label: 'compromised session', accessKeyId: F.compromised.sessionKeyId, sourceIPAddress: F.threatListIp, userAgent: F.attackerUserAgent, calls: [listBuckets, describeInstances] },
    { label: 'backdoor key', accessKeyId: F.backdoor.accessKeyId, sourceIPAddress: F.backdoorIp, userAgent: F.backdoorUserAgent, calls: [listUsers, describeInstances, listBuckets] },
    { label: 'backdoor session', accessKeyId: F.backdoor.sessionKeyId, sourceIPAddress: F.backdoorIp, userAgent: F.backdoorUserAgent, calls: [listSecrets, listBuckets] },
    { label: 'second backdoor key', accessKeyId: F.loginUser.attackerKeyId, sourceIPAddress: F.backdoorIp, userAgent: F.backdoorUserAgent, calls: [listBuckets] },
  ],
};
