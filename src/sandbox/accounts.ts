/**
 * The accounts of a world. The primary account is the World itself; members live in `world.members`.
 * A caller acts in the account its access key lives in (a long-term key in `iam.accessKeys`, or a session
 * in `iam.sessions`), so every service reads and writes that account's data.
 */
import type { AccountData, RegionData, World } from './model.js';

/** The account with this ID, or undefined when the world has none. */
export function accountData(world: World, accountId: string): AccountData | undefined {
  if (accountId === world.accountId) return world;
  return world.members?.[accountId];
}

/** Every account of the world, the primary first. */
export function accounts(world: World): AccountData[] {
  return world.members ? [world, ...Object.values(world.members)] : [world];
}

/** The account an access key (long-term `AKIA…` or session `ASIA…`) belongs to. */
export function accountOfKey(world: World, accessKeyId: string): AccountData | undefined {
  for (const account of accounts(world)) {
    if (Object.hasOwn(account.iam.sessions, accessKeyId) || Object.hasOwn(account.iam.accessKeys, accessKeyId)) return account;
  }
  return undefined;
}

/** The account's data in a region, created empty when the world has none there yet (recorded events need a home). */
export function regionOf(account: AccountData, region: string): RegionData {
  let data = account.regions[region];
  if (!data) {
    data = { findings: [], events: [] };
    account.regions[region] = data;
  }
  return data;
}
