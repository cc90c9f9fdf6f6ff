/** What a service handler gets for one request. */
import type { World } from './model.js';
import type { Caller } from './types.js';
import type { GuardDutyCache } from './services/guardduty.js';
import type { CloudTrailCache } from './services/cloudtrail.js';

export interface Mutations {
  keyStatus(accessKeyId: string, status: 'Active' | 'Inactive'): void;
  userPolicy(userName: string, policyName: string, document: string | null): void;
  archived(region: string, findingId: string, archived: boolean, at: string): void;
}

export interface HandlerContext {
  world: World;
  region: string;
  caller: Caller;
  now: Date;
  gd: GuardDutyCache;
  ct: CloudTrailCache;
  mutate: Mutations;
}
