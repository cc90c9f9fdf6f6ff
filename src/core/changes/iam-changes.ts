/**
 * IAM writes as changes: what each one touched (from requestParameters / responseElements, as the published
 * records carry them: test/fixtures/real/cloudtrail/stratus-*), what to read back, and how to revert it.
 */
import type { TrailEvent } from '../trail/model.js';
import { check, revert } from './commands.js';
import { bool, obj, str } from './fields.js';
import type { Change, ChangeResource, ChangeTarget } from './model.js';

export interface ChangeDraft {
  target: ChangeTarget;
  resource: ChangeResource;
  summary: string;
  undo: Change['undo'];
  check?: Change['check'];
}

export interface DraftContext {
  /** The account the events were read in (for ARNs the record does not carry). */
  accountId?: string;
  /** The IAM user of the credential that made the call (a call without UserName acts on it). */
  actorUser?: string;
}

const arnOf = (c: DraftContext, kind: 'user' | 'role' | 'group', name: string): string | undefined => (c.accountId ? `arn:aws:iam::${c.accountId}:${kind}/${name}` : undefined);

function holderOf(eventName: string): 'user' | 'role' | 'group' | undefined {
  if (/User(Policy)?$/.test(eventName) && !eventName.startsWith('AddUser')) return 'user';
  if (/Role(Policy)?$/.test(eventName)) return 'role';
  if (/Group(Policy)?$/.test(eventName)) return 'group';
  return undefined;
}

const TYPE = { user: 'AWS::IAM::User', role: 'AWS::IAM::Role', group: 'AWS::IAM::Group' } as const;

function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1) || arn;
}

export function iamChange(e: TrailEvent, c: DraftContext): ChangeDraft | undefined {
  const req = e.requestParameters;
  const resp = e.responseElements;
  const name = e.eventName;
  const user = str(req, 'userName') ?? c.actorUser;
  const userResource = (u: string): ChangeResource => ({ type: TYPE.user, id: u, ...(arnOf(c, 'user', u) ? { arn: arnOf(c, 'user', u) } : {}) });
  switch (name) {
    case 'CreateUser': {
      const u = str(req, 'userName') ?? str(obj(resp, 'user'), 'userName');
      if (!u) return undefined;
      const arn = str(obj(resp, 'user'), 'arn') ?? arnOf(c, 'user', u);
      return {
        target: { kind: 'user', userName: u },
        resource: { type: TYPE.user, id: u, ...(arn ? { arn } : {}) },
        summary: `created IAM user ${u}`,
        undo: { reversible: false, note: 'gd-ir never deletes users: keep the evidence, then remove its keys, password and policies and delete it by hand' },
        check: check(['iam', 'get-user', '--user-name', u]),
      };
    }
    case 'CreateRole': {
      const role = str(req, 'roleName') ?? str(obj(resp, 'role'), 'roleName');
      if (!role) return undefined;
      const arn = str(obj(resp, 'role'), 'arn') ?? arnOf(c, 'role', role);
      return {
        target: { kind: 'role', roleName: role },
        resource: { type: TYPE.role, id: role, ...(arn ? { arn } : {}) },
        summary: `created IAM role ${role}`,
        undo: { reversible: false, note: 'gd-ir never deletes roles: keep the evidence, then detach its policies and delete it by hand' },
        check: check(['iam', 'get-role', '--role-name', role]),
      };
    }
    case 'CreateAccessKey': {
      const key = obj(resp, 'accessKey');
      const u = str(req, 'userName') ?? str(key, 'userName') ?? c.actorUser;
      const id = str(key, 'accessKeyId');
      if (!u || !id) return undefined;
      return {
        target: { kind: 'accessKey', userName: u, accessKeyId: id },
        resource: { type: 'AWS::IAM::AccessKey', id },
        summary: `created access key ${id} for user ${u}`,
        undo: { suggestion: revert(['iam', 'update-access-key', '--user-name', u, '--access-key-id', id, '--status', 'Inactive']), reversible: true },
        check: check(['iam', 'list-access-keys', '--user-name', u]),
      };
    }
    case 'UpdateAccessKey': {
      const id = str(req, 'accessKeyId');
      if (!id || !user || str(req, 'status') !== 'Active') return undefined;
      return {
        target: { kind: 'accessKey', userName: user, accessKeyId: id },
        resource: { type: 'AWS::IAM::AccessKey', id },
        summary: `reactivated access key ${id} of user ${user}`,
        undo: { suggestion: revert(['iam', 'update-access-key', '--user-name', user, '--access-key-id', id, '--status', 'Inactive']), reversible: true },
        check: check(['iam', 'list-access-keys', '--user-name', user]),
      };
    }
    case 'CreateLoginProfile':
    case 'UpdateLoginProfile': {
      if (!user) return undefined;
      const created = name === 'CreateLoginProfile';
      return {
        target: { kind: 'loginProfile', userName: user, how: created ? 'created' : 'updated' },
        resource: userResource(user),
        summary: created ? `gave user ${user} a console password` : `changed the console password of user ${user}`,
        undo: { suggestion: revert(['iam', 'delete-login-profile', '--user-name', user]), reversible: false, note: 'the password cannot be restored: its owner sets a new one' },
        check: check(['iam', 'get-login-profile', '--user-name', user]),
      };
    }
    case 'CreateVirtualMFADevice':
    case 'EnableMFADevice':
    case 'ResyncMFADevice': {
      const serial = str(req, 'serialNumber') ?? str(obj(resp, 'virtualMFADevice'), 'serialNumber');
      const u = name === 'CreateVirtualMFADevice' ? undefined : user;
      return {
        target: { kind: 'mfaDevice', ...(u ? { userName: u } : {}), ...(serial ? { serialNumber: serial } : {}) },
        resource: u ? userResource(u) : { type: 'AWS::IAM::VirtualMFADevice', id: serial ?? str(req, 'virtualMFADeviceName') ?? 'unknown' },
        summary: u ? `registered an MFA device for user ${u}` : `created a virtual MFA device${str(req, 'virtualMFADeviceName') ? ` ${str(req, 'virtualMFADeviceName')}` : ''}`,
        undo: {
          ...(u && serial ? { suggestion: revert(['iam', 'deactivate-mfa-device', '--user-name', u, '--serial-number', serial]) } : {}),
          reversible: false,
          note: 'an attacker-registered MFA device locks the owner out: deactivate and delete it by hand',
        },
        check: u ? check(['iam', 'list-mfa-devices', '--user-name', u]) : check(['iam', 'list-virtual-mfa-devices']),
      };
    }
    case 'AttachUserPolicy':
    case 'AttachRolePolicy':
    case 'AttachGroupPolicy':
    case 'DetachUserPolicy':
    case 'DetachRolePolicy':
    case 'DetachGroupPolicy': {
      const holder = holderOf(name);
      const arn = str(req, 'policyArn');
      const who = holder === 'user' ? user : str(req, `${holder}Name`);
      if (!holder || !arn || !who) return undefined;
      const detached = name.startsWith('Detach');
      const undoVerb = detached ? 'attach' : 'detach';
      return {
        target: { kind: 'managedAttachment', holder, name: who, policyArn: arn, detached },
        resource: { type: TYPE[holder], id: who, ...(arnOf(c, holder, who) ? { arn: arnOf(c, holder, who) } : {}) },
        summary: `${detached ? 'detached' : 'attached'} ${policyName(arn)} ${detached ? 'from' : 'to'} ${holder} ${who}`,
        undo: { suggestion: revert(['iam', `${undoVerb}-${holder}-policy`, `--${holder}-name`, who, '--policy-arn', arn]), reversible: true },
        check: check(['iam', `list-attached-${holder}-policies`, `--${holder}-name`, who]),
      };
    }
    case 'PutUserPolicy':
    case 'PutRolePolicy':
    case 'PutGroupPolicy':
    case 'DeleteUserPolicy':
    case 'DeleteRolePolicy':
    case 'DeleteGroupPolicy': {
      const holder = holderOf(name);
      const pn = str(req, 'policyName');
      const who = holder === 'user' ? user : str(req, `${holder}Name`);
      if (!holder || !pn || !who) return undefined;
      const deleted = name.startsWith('Delete');
      const doc = str(req, 'policyDocument');
      return {
        target: { kind: 'inlinePolicy', holder, name: who, policyName: pn, ...(doc ? { document: doc } : {}), deleted },
        resource: { type: TYPE[holder], id: who, ...(arnOf(c, holder, who) ? { arn: arnOf(c, holder, who) } : {}) },
        summary: deleted ? `deleted inline policy ${pn} of ${holder} ${who}` : `put inline policy ${pn} on ${holder} ${who}`,
        undo: deleted
          ? { reversible: false, note: 'the deleted document is not in the record: restore it from your infrastructure code' }
          : { suggestion: revert(['iam', `delete-${holder}-policy`, `--${holder}-name`, who, '--policy-name', pn]), reversible: true },
        check: check(['iam', `get-${holder}-policy`, `--${holder}-name`, who, '--policy-name', pn]),
      };
    }
    case 'UpdateAssumeRolePolicy': {
      const role = str(req, 'roleName');
      const doc = str(req, 'policyDocument');
      if (!role || !doc) return undefined;
      return {
        target: { kind: 'roleTrust', roleName: role, document: doc },
        resource: { type: TYPE.role, id: role, ...(arnOf(c, 'role', role) ? { arn: arnOf(c, 'role', role) } : {}) },
        summary: `rewrote the trust policy of role ${role}`,
        undo: { reversible: true, note: 'gd-ir contain removes the principals it added and keeps the rest; the document it replaces is audited' },
        check: check(['iam', 'get-role', '--role-name', role]),
      };
    }
    case 'CreatePolicyVersion':
    case 'SetDefaultPolicyVersion': {
      const arn = str(req, 'policyArn');
      const version = str(req, 'versionId') ?? str(obj(resp, 'policyVersion'), 'versionId');
      if (!arn || !version) return undefined;
      const setDefault = name === 'SetDefaultPolicyVersion' || bool(req, 'setAsDefault') === true;
      return {
        target: { kind: 'policyVersion', policyArn: arn, versionId: version, setDefault },
        resource: { type: 'AWS::IAM::Policy', id: policyName(arn), arn },
        summary: name === 'CreatePolicyVersion' ? `created version ${version} of policy ${policyName(arn)}${setDefault ? ' as the default' : ''}` : `made ${version} the default version of policy ${policyName(arn)}`,
        undo: { reversible: true, note: 'gd-ir contain sets the previous default version back; delete the version by hand once the evidence is kept' },
        check: check(['iam', 'list-policy-versions', '--policy-arn', arn]),
      };
    }
    case 'AddUserToGroup': {
      const group = str(req, 'groupName');
      if (!group || !user) return undefined;
      return {
        target: { kind: 'groupMembership', userName: user, groupName: group },
        resource: userResource(user),
        summary: `added user ${user} to group ${group}`,
        undo: { suggestion: revert(['iam', 'remove-user-from-group', '--user-name', user, '--group-name', group]), reversible: false },
        check: check(['iam', 'list-groups-for-user', '--user-name', user]),
      };
    }
    default:
      return undefined;
  }
}
