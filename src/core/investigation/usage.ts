/** Used vs granted: each action the principal called, whether its policies grant it, and what was denied. */
import { iamActionForEvent, serviceKeyForEventSource } from '../event-classification.js';
import { isDeniedError } from './activity.js';
import type { ActivityEvent, InvestigationFinding, PermissionFacts } from './model.js';
import { byTime, pushUnique } from './util.js';

export interface ActionUse {
  /** IAM action, e.g. `ssm:GetParameters`. */
  action: string;
  count: number;
  first: string;
  last: string;
  /** Whether the principal's policies grant it (undefined when permissions could not be read). */
  granted?: boolean;
  /** False for calls AWS allows without any policy (sts:GetCallerIdentity, sts:GetSessionToken). */
  needsPermission: boolean;
}

/**
 * Calls IAM users can make with no policy at all (STS API reference: GetCallerIdentity "No permissions are
 * required"; GetSessionToken "no permissions are required for users to get a session token").
 */
export const NO_PERMISSION_ACTIONS: ReadonlySet<string> = new Set(['sts:GetCallerIdentity', 'sts:GetSessionToken']);

export interface DeniedUse {
  action: string;
  count: number;
  errorCodes: string[];
  first: string;
  last: string;
  /** Whether it came from the finding's IP. */
  fromFindingIp: boolean;
}

export interface UsageAnalysis {
  used: ActionUse[];
  denied: DeniedUse[];
  /** Granted actions never used in the window (undefined when the granted set is unknown). */
  grantedUnused?: number;
}

export function actionOfEvent(e: Pick<ActivityEvent, 'eventSource' | 'eventName'>): string {
  const service = serviceKeyForEventSource(e.eventSource);
  return `${service}:${iamActionForEvent(service, e.eventName)}`;
}

export function analyseUsage(events: readonly ActivityEvent[], finding: InvestigationFinding, permissions?: PermissionFacts): UsageAnalysis {
  const used = new Map<string, ActionUse>();
  const denied = new Map<string, DeniedUse>();
  for (const e of [...events].sort(byTime)) {
    // Console sign-ins (eventType AwsConsoleSignIn, success or failure) are not API calls an identity policy
    // authorises: the password (login profile) and MFA decide them, so they are neither "used" nor "denied" actions.
    if (e.eventSource === 'signin.amazonaws.com') continue;
    const action = actionOfEvent(e);
    if (isDeniedError(e.errorCode)) {
      const d = denied.get(action) ?? { action, count: 0, errorCodes: [], first: e.time, last: e.time, fromFindingIp: false };
      d.count++;
      d.last = e.time;
      pushUnique(d.errorCodes, e.errorCode);
      if (e.sourceIp && e.sourceIp === finding.remoteIp) d.fromFindingIp = true;
      denied.set(action, d);
      continue;
    }
    // Calls that failed for other reasons (ParameterNotFound, throttling) were still authorised.
    const needsPermission = !NO_PERMISSION_ACTIONS.has(action);
    const u = used.get(action) ?? { action, count: 0, first: e.time, last: e.time, granted: needsPermission ? permissions?.isGranted(action) : undefined, needsPermission };
    u.count++;
    u.last = e.time;
    used.set(action, u);
  }
  const usedList = [...used.values()].sort((a, b) => b.count - a.count || a.action.localeCompare(b.action));
  const out: UsageAnalysis = {
    used: usedList,
    denied: [...denied.values()].sort((a, b) => b.count - a.count || a.action.localeCompare(b.action)),
  };
  if (permissions?.grantedCount !== undefined) {
    out.grantedUnused = Math.max(0, permissions.grantedCount - usedList.filter((u) => u.granted === true).length);
  }
  return out;
}
