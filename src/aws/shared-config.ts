/**
 * The AWS shared config and credentials files, read from the paths the run's environment names (the context's env,
 * not process.env, so an in-process run and the binary see the same files): AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials, with `~` the HOME of that environment
 * (AWS SDKs and Tools Reference Guide, "Location of the shared config and credentials files"). gd-ir reads them for
 * two things only: whether a named profile exists (so `--profile nosuch` names the profile and the files), and the
 * profile's `region`. Credentials are resolved by the SDK's own chain, handed the same two paths (clients.ts).
 *
 * The format is the SDK's INI dialect (lines read by src/core/ini.ts): `[default]` and `[profile name]` sections in
 * the config file, `[name]` in the credentials file; `key = value` lines; `#` and `;` start comments; indented lines
 * continue a nested setting (`s3 =` followed by indented keys) and are not profile keys; `[sso-session x]` and
 * `[services x]` are not profiles.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { iniLines } from '../core/ini.js';

export interface SharedConfigPaths {
  configFile: string;
  credentialsFile: string;
}

type Env = Record<string, string | undefined>;

function homeOf(env: Env): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? 'C:'}${env.HOMEPATH}`;
  return homedir();
}

function expandHome(path: string, env: Env): string {
  return path === '~' ? homeOf(env) : path.startsWith('~/') || path.startsWith('~\\') ? join(homeOf(env), path.slice(2)) : path;
}

/** Where the shared files are for this environment. */
export function sharedConfigPaths(env: Env): SharedConfigPaths {
  return {
    configFile: expandHome(env.AWS_CONFIG_FILE || join(homeOf(env), '.aws', 'config'), env),
    credentialsFile: expandHome(env.AWS_SHARED_CREDENTIALS_FILE || join(homeOf(env), '.aws', 'credentials'), env),
  };
}

/** Profiles of one file: profile name → its top-level keys. A missing or unreadable file has none. */
export function parseProfiles(text: string, kind: 'config' | 'credentials'): Map<string, Record<string, string>> {
  const profiles = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const l of iniLines(text)) {
    if (l.kind === 'section') {
      const name = l.name;
      let profile: string | undefined;
      if (kind === 'credentials') profile = name;
      else if (name === 'default') profile = 'default';
      else {
        const m = /^profile\s+(.+)$/.exec(name);
        profile = m?.[1]?.trim();
      }
      current = profile ? (profiles.get(profile) ?? {}) : undefined;
      if (profile && current) profiles.set(profile, current);
      continue;
    }
    // Indented lines belong to a nested setting (`s3 =` then `  max_concurrent_requests = 20`).
    if (!current || l.kind !== 'entry' || l.indented) continue;
    current[l.key.toLowerCase()] = l.value;
  }
  return profiles;
}

function readProfiles(path: string, kind: 'config' | 'credentials'): Map<string, Record<string, string>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return new Map();
  }
  return parseProfiles(text, kind);
}

export interface ProfileLookup {
  /** The profile is in the config file or the credentials file. */
  found: boolean;
  /** Its `region` setting (config file first, as the SDK reads it). */
  region?: string;
}

/** What the shared files say about one profile. */
export function lookupProfile(paths: SharedConfigPaths, name: string): ProfileLookup {
  const config = readProfiles(paths.configFile, 'config').get(name);
  const credentials = readProfiles(paths.credentialsFile, 'credentials').get(name);
  const region = config?.region || credentials?.region || undefined;
  return { found: config !== undefined || credentials !== undefined, ...(region ? { region } : {}) };
}
