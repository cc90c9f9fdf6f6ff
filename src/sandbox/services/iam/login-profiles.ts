/**
 * Console passwords (login profiles): Create, Get, Update, Delete. The password is validated for presence only and
 * never stored or recorded: CloudTrail's CreateLoginProfile record carries `userName` and `passwordResetRequired`,
 * not the password (published record test/fixtures/real/cloudtrail/stratus-createloginprofile.json).
 */
import { ServiceError, isoSeconds } from '../../wire.js';
import type { IamOperation } from './common.js';
import { NAME_RE, iamOp, noSuch, required, userByName, userOrCaller, validation } from './common.js';
import { trailDate } from './generate.js';

function flag(form: Record<string, string>, name: string): boolean | undefined {
  const v = form[name];
  if (v === undefined || v === '') return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  throw validation(`1 validation error detected: Value '${v}' at '${name.charAt(0).toLowerCase() + name.slice(1)}' failed to satisfy constraint: Member must be a boolean`);
}

/** The recorded parameters: the user and the reset flag (a boolean, as CloudTrail writes it), never the password. */
function profileParameters(call: { input: Record<string, unknown> }): Record<string, unknown> {
  const form = call.input as Record<string, string>;
  const out: Record<string, unknown> = {};
  if (form.UserName) out.userName = form.UserName;
  const reset = form.PasswordResetRequired;
  if (reset === 'true' || reset === 'false') out.passwordResetRequired = reset === 'true';
  return out;
}

const noProfile = (userName: string): ServiceError => noSuch(`Login Profile for User ${userName} cannot be found.`);

export const LOGIN_PROFILE_OPERATIONS: Record<string, IamOperation> = {
  CreateLoginProfile: iamOp(
    false,
    (ctx, form) => {
      const u = userOrCaller(ctx, form);
      required(form, 'Password', undefined, 128);
      const passwordResetRequired = flag(form, 'PasswordResetRequired') ?? false;
      if (u.loginProfile) throw new ServiceError('EntityAlreadyExists', `Login Profile for user ${u.userName} already exists.`, 409);
      const createDate = isoSeconds(ctx.now);
      ctx.mutate({ kind: 'loginProfileCreate', account: ctx.account.accountId, userName: u.userName, createDate, passwordResetRequired });
      return { LoginProfile: { UserName: u.userName, CreateDate: createDate, PasswordResetRequired: passwordResetRequired } };
    },
    {
      // CreateLoginProfile's flag is a primitive boolean in the model (`booleanType`; UpdateLoginProfile's is nullable
      // `booleanObjectType`): recorded as false when not sent, as in the published record.
      requestParameters: (call) => ({ passwordResetRequired: false, ...profileParameters(call) }),
      responseElements: (out) => {
        const p = (out as { LoginProfile: { UserName: string; CreateDate: string; PasswordResetRequired: boolean } }).LoginProfile;
        return { loginProfile: { userName: p.UserName, createDate: trailDate(p.CreateDate), passwordResetRequired: p.PasswordResetRequired } };
      },
    },
  ),

  GetLoginProfile: iamOp(true, (ctx, form) => {
    const u = userOrCaller(ctx, form);
    if (!u.loginProfile) throw noProfile(u.userName);
    return { LoginProfile: { UserName: u.userName, CreateDate: isoSeconds(u.loginProfile.createDate), PasswordResetRequired: u.loginProfile.passwordResetRequired } };
  }),

  UpdateLoginProfile: iamOp(
    false,
    (ctx, form) => {
      const u = userByName(ctx, required(form, 'UserName', NAME_RE, 64));
      const passwordResetRequired = flag(form, 'PasswordResetRequired');
      if (!u.loginProfile) throw noProfile(u.userName);
      ctx.mutate({ kind: 'loginProfileUpdate', account: ctx.account.accountId, userName: u.userName, ...(passwordResetRequired !== undefined ? { passwordResetRequired } : {}) });
      return undefined;
    },
    // The published UpdateLoginProfile record has only `userName` when the reset flag was not sent.
    { requestParameters: profileParameters },
  ),

  DeleteLoginProfile: iamOp(false, (ctx, form) => {
    const u = userOrCaller(ctx, form);
    if (!u.loginProfile) throw noProfile(u.userName);
    ctx.mutate({ kind: 'loginProfileDelete', account: ctx.account.accountId, userName: u.userName });
    return undefined;
  }),
};
