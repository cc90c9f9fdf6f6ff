/**
 * The `[logs]` section of the configuration file: where `gd-ir trail` and `gd-ir investigate` (and the console's
 * investigations) read CloudTrail when `--logs` is not given, and what the log source needs.
 *
 *   [logs]
 *   source = athena:cloudtrail.org_logs      # lookup | a local path | s3://bucket[/prefix] | athena:<db>.<table>
 *   profile = log-archive                    # --logs-profile: the log-archive account's profile (S3, Athena)
 *   athena_workgroup = security              # --athena-workgroup
 *   athena_output = s3://athena-results-111122223333/gd-ir/   # --athena-output
 *
 * Each key is the default of its option; the command line wins, key by key. Values are checked by the option's
 * own parser, errors name the file and line (exit 2). Reference: docs/sources.md ("A default source").
 */
import { GdIrError, UsageError } from '../core/errors.js';
import { parseAthenaOutput, parseLogsOption, parseWorkgroup } from '../core/logs/spec.js';
import { sanitize } from '../core/sanitize.js';
import type { LogsSpec } from '../core/trail/index.js';
import { configError, type GdIrConfig } from './index.js';

export interface LogsDefaults {
  source?: LogsSpec;
  profile?: string;
  athenaWorkgroup?: string;
  athenaOutput?: string;
  /** The file and line of each key set, for messages ("the default source of ~/.config/gd-ir/config.ini:12"). */
  origin: Partial<Record<'source' | 'profile' | 'athenaWorkgroup' | 'athenaOutput', string>>;
}

const PROFILE = /^[A-Za-z0-9+=,.@_/-]{1,128}$/;

const KEYS: Record<string, (v: string, d: LogsDefaults) => keyof LogsDefaults['origin']> = {
  source: (v, d) => {
    d.source = parseLogsOption([v]);
    return 'source';
  },
  profile: (v, d) => {
    if (!PROFILE.test(v)) throw new UsageError(`invalid profile name '${sanitize(v, { maxLength: 80 })}'`);
    d.profile = v;
    return 'profile';
  },
  athena_workgroup: (v, d) => {
    d.athenaWorkgroup = parseWorkgroup(v);
    return 'athenaWorkgroup';
  },
  athena_output: (v, d) => {
    d.athenaOutput = parseAthenaOutput(v);
    return 'athenaOutput';
  },
};

/** The `[logs]` section, checked; an empty object when there is none. */
export function logsDefaults(config: GdIrConfig): LogsDefaults {
  const d: LogsDefaults = { origin: {} };
  const sections = config.sections.filter((s) => s.kind === 'logs');
  const [section] = sections;
  if (!section) return d;
  const path = config.path ?? 'the configuration file';
  if (section.name !== undefined) throw configError(path, section.line, '[logs] takes no name');
  if (sections.length > 1) throw configError(path, (sections[1] as typeof section).line, '[logs] is given twice');
  for (const [key, { value, line }] of Object.entries(section.values)) {
    const set = Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
    try {
      if (!set) throw new UsageError(`unknown key ${sanitize(key)} in [logs] (known: ${Object.keys(KEYS).join(', ')})`);
      d.origin[set(value, d)] = `${sanitize(path, { maxLength: 200 })}:${line}`;
    } catch (err) {
      if (err instanceof GdIrError) throw configError(path, line, set ? `${key}: ${err.message}` : err.message);
      throw err;
    }
  }
  return d;
}
