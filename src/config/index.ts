/**
 * gd-ir's configuration file: `$GD_IR_CONFIG`, else `$XDG_CONFIG_HOME/gd-ir/config.ini` (default
 * ~/.config/gd-ir/config.ini). Optional: no file is an empty configuration. Format: src/config/parse.ts;
 * reference: docs/multi-account.md ("The configuration file").
 *
 * Sections this module reads: `[defaults]` and `[account <12 digits>]` (how to reach an account: roles, profile,
 * ExternalId, MFA device, session duration). Other sections belong to the modules that read them
 * (`config.section('logs')`); a section nobody reads is kept, not refused, so an older gd-ir can read a newer file.
 * The file names roles and profiles, never credentials.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parseAccountId, parseExternalId, parseMfaSerial, parseRoleRef, parseSessionDuration } from '../core/access.js';
import { GdIrError, UsageError } from '../core/errors.js';
import { sanitize } from '../core/sanitize.js';
import { ConfigSyntaxError, parseConfigText, type ConfigSection } from './parse.js';

export type { ConfigSection } from './parse.js';

/** How to reach an account (or every account, in `[defaults]`). */
export interface AccountSettings {
  readRole?: string;
  writeRole?: string;
  externalId?: string;
  mfaSerial?: string;
  /** Use the MFA device for the read role too (default: only for the write role). */
  readMfa?: boolean;
  /** Seconds. */
  sessionDuration?: number;
  /** An AWS named profile for this account (reads and writes), unless read_profile / write_profile say otherwise. */
  profile?: string;
  readProfile?: string;
  writeProfile?: string;
}

export interface GdIrConfig {
  /** The file read; undefined when there is none. */
  path?: string;
  defaults: AccountSettings;
  accounts: Record<string, AccountSettings>;
  sections: readonly ConfigSection[];
  /** A section by kind (and name), for the modules that own other sections (`logs`). */
  section(kind: string, name?: string): ConfigSection | undefined;
}

type Env = Record<string, string | undefined>;

export function configPath(env: Env): string {
  if (env.GD_IR_CONFIG) return env.GD_IR_CONFIG;
  const base = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  return join(base, 'gd-ir', 'config.ini');
}

const PROFILE = /^[\w+=,.@/-]{1,128}$/;

const KEYS: Record<string, (v: string, s: AccountSettings) => void> = {
  read_role: (v, s) => void (s.readRole = parseRoleRef(v, 'read_role')),
  write_role: (v, s) => void (s.writeRole = parseRoleRef(v, 'write_role')),
  external_id: (v, s) => void (s.externalId = parseExternalId(v)),
  mfa_serial: (v, s) => void (s.mfaSerial = parseMfaSerial(v)),
  read_mfa: (v, s) => {
    if (!/^(true|false)$/i.test(v)) throw new UsageError(`read_mfa must be true or false, not '${sanitize(v, { maxLength: 40 })}'`);
    s.readMfa = v.toLowerCase() === 'true';
  },
  session_duration: (v, s) => void (s.sessionDuration = parseSessionDuration(v)),
  profile: (v, s) => void (s.profile = profileName(v)),
  read_profile: (v, s) => void (s.readProfile = profileName(v)),
  write_profile: (v, s) => void (s.writeProfile = profileName(v)),
};

function profileName(v: string): string {
  if (!PROFILE.test(v)) throw new UsageError(`invalid profile name '${sanitize(v, { maxLength: 80 })}'`);
  return v;
}

function settingsOf(section: ConfigSection, path: string): AccountSettings {
  const s: AccountSettings = {};
  for (const [key, { value, line }] of Object.entries(section.values)) {
    const set = Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
    try {
      if (!set) throw new UsageError(`unknown key ${sanitize(key)} (known: ${Object.keys(KEYS).join(', ')})`);
      set(value, s);
    } catch (err) {
      if (err instanceof GdIrError) throw configError(path, line, err.message.replace(/^invalid /, ''));
      throw err;
    }
  }
  return s;
}

export function configError(path: string, line: number, message: string): UsageError {
  return new UsageError(`${sanitize(path, { maxLength: 200 })}:${line}: ${message}`, { code: 'config', remedy: 'fix the configuration file (docs/multi-account.md, "The configuration file")' });
}

/** Parses configuration text (the file's content); `path` names it in errors. */
export function parseConfig(text: string, path: string): GdIrConfig {
  let sections: ConfigSection[];
  try {
    sections = parseConfigText(text);
  } catch (err) {
    if (err instanceof ConfigSyntaxError) throw configError(path, err.line, err.message);
    throw err;
  }
  const config: GdIrConfig = {
    path,
    defaults: {},
    accounts: {},
    sections,
    section: (kind, name) => sections.find((s) => s.kind === kind && s.name === name),
  };
  for (const section of sections) {
    if (section.kind === 'defaults') {
      if (section.name !== undefined) throw configError(path, section.line, '[defaults] takes no name');
      config.defaults = settingsOf(section, path);
    } else if (section.kind === 'account') {
      let id: string;
      try {
        id = parseAccountId(section.name ?? '');
      } catch {
        throw configError(path, section.line, `[account ${sanitize(section.name ?? '')}]: expected [account <12-digit account ID>]`);
      }
      config.accounts[id] = settingsOf(section, path);
    }
  }
  return config;
}

/** The configuration of this environment; an absent file is an empty configuration, an unreadable one an error (exit 2). */
export function loadConfig(env: Env): GdIrConfig {
  const path = configPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !env.GD_IR_CONFIG) return { defaults: {}, accounts: {}, sections: [], section: () => undefined };
    throw new UsageError(`cannot read the configuration file ${sanitize(path, { maxLength: 200 })}: ${code ?? 'read error'}`, { code: 'config' });
  }
  return parseConfig(text, path);
}

const loaded = new WeakMap<Env, GdIrConfig>();

/**
 * The configuration of a run, read once: the run's environment object is the key, so the access layer and the log
 * source's defaults share one read of the file (a new run, or a test's new environment, reads it again).
 */
export function runConfig(env: Env): GdIrConfig {
  let c = loaded.get(env);
  if (!c) {
    c = loadConfig(env);
    loaded.set(env, c);
  }
  return c;
}
