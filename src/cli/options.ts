/**
 * Options are declared once, with their parser: flags, help, env var and default drive commander,
 * `--help` and docs/commands.md (`npm run docs`), and the parser turns commander's raw value into the
 * typed value the handler receives, validated before the handler runs (a UsageError, exit 2, before
 * any AWS call). A command's handler input type is derived from its option table (command-spec.ts).
 * Options shared by several commands live in shared-options.ts.
 */

/** What commander shows and docs list for an option. */
export interface OptionSpec {
  /** Commander flags, e.g. `--region <name>` or `--json`. */
  flags: string;
  description: string;
  /** Environment variable shown in help (the value is read by the code that uses it). */
  env?: string;
  /** Default value (shown in help). */
  defaultValue?: string | boolean | number;
  /** Repeatable: the option collects every occurrence into an array. */
  repeatable?: boolean;
  /** Allowed values (commander validates, exit 2 on others). */
  choices?: readonly string[];
  /** Hidden from help (internal/testing knobs). */
  hidden?: boolean;
}

/** What option parsers may use besides the raw value. */
export interface ParseContext {
  /** One "now" for the whole invocation, so `--since 7d` is exactly 7 days before `--until now`. */
  now: Date;
}

/** An option with its parser: commander's raw value (string, string[], boolean or undefined) → T. */
export interface OptionDef<T> extends OptionSpec {
  parse: (raw: unknown, c: ParseContext) => T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table of options of any value type
export type OptionTable = Record<string, OptionDef<any>>;

/** The typed values of an option table, by attribute name. */
export type ParsedOptions<O extends OptionTable> = { [K in keyof O]: ReturnType<O[K]['parse']> };

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

type Extra = Pick<OptionSpec, 'env' | 'hidden' | 'choices' | 'defaultValue'>;

/** Builders: one per kind of value, so a declaration reads as what the option is. */
export const opt = {
  /** `--dry-run`: true when given. */
  flag(flags: string, description: string, extra: Extra = {}): OptionDef<boolean> {
    return { flags, description, ...extra, parse: (raw) => raw === true };
  },
  /** `--no-follow`: true unless given. */
  negatable(flags: string, description: string): OptionDef<boolean> {
    return { flags, description, parse: (raw) => raw !== false };
  },
  /** `--name <value>`: the parsed value, or undefined when absent. */
  value<T = string>(flags: string, description: string, parse?: (value: string, c: ParseContext) => T, extra: Extra = {}): OptionDef<T | undefined> {
    return {
      flags,
      description,
      ...extra,
      parse: (raw, c) => {
        const v = str(raw);
        if (v === undefined) return undefined;
        return parse ? parse(v, c) : (v as unknown as T);
      },
    };
  },
  /** `--name <value>` with a default (shown in help), parsed like any given value. */
  withDefault<T>(flags: string, description: string, defaultValue: string, parse: (value: string, c: ParseContext) => T, extra: Extra = {}): OptionDef<T> {
    // `extra.defaultValue: undefined` keeps the default out of help (a default that means "off").
    return { flags, description, defaultValue, ...extra, parse: (raw, c) => parse(str(raw) ?? defaultValue, c) };
  },
  /** `--name <value>` repeatable: every occurrence, parsed, in order. */
  list<T = string>(flags: string, description: string, parse?: (value: string, c: ParseContext) => T, extra: Extra = {}): OptionDef<T[]> {
    return { flags, description, ...extra, repeatable: true, parse: (raw, c) => strs(raw).map((v) => (parse ? parse(v, c) : (v as unknown as T))) };
  },
};

/** The long option's attribute name as commander derives it: `--detector-id` → detectorId, `--no-follow` → follow. */
export function attributeName(flags: string): string {
  const long = flags.split(/[ ,|]+/).find((f) => f.startsWith('--')) ?? '';
  return long
    .replace(/^--(no-)?/, '')
    .replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** Parses every option of a table from commander's values. */
export function parseOptionTable<O extends OptionTable>(table: O, raw: Record<string, unknown>, c: ParseContext): ParsedOptions<O> {
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(table)) out[key] = def.parse(raw[attributeName(def.flags)], c);
  return out as ParsedOptions<O>;
}

/** Options every command accepts, declared on the root program. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flags: '--region <name>', description: 'AWS region to use', env: 'AWS_REGION' },
  { flags: '--profile <name>', description: 'named profile from the AWS config/credentials files (SSO included)', env: 'AWS_PROFILE' },
  {
    flags: '--endpoint-url <url>',
    description: 'send every AWS request to this endpoint (AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL are honoured when absent)',
    env: 'AWS_ENDPOINT_URL',
  },
  { flags: '--sandbox', description: 'run against the built-in sandbox (no AWS account needed); state kept under $XDG_STATE_HOME/gd-ir' },
  { flags: '--json', description: 'print machine-readable JSON on stdout (errors as JSON on stderr)' },
  { flags: '--no-color', description: 'disable colour (also NO_COLOR=1; FORCE_COLOR forces it)' },
  { flags: '--no-input', description: 'never prompt; fail instead when input would be needed' },
  { flags: '--debug', description: 'log AWS requests and responses to stderr (credentials and signatures redacted) and show stack traces' },
];

export interface GlobalOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  sandbox?: boolean;
  json: boolean;
  color: boolean;
  input: boolean;
  debug: boolean;
}

export function readGlobalOptions(raw: Record<string, unknown>): GlobalOptions {
  return {
    region: str(raw.region),
    profile: str(raw.profile),
    endpointUrl: str(raw.endpointUrl),
    sandbox: raw.sandbox === true,
    json: raw.json === true,
    color: raw.color !== false,
    input: raw.input !== false,
    debug: raw.debug === true,
  };
}
