/**
 * The option table: every flag is declared once here (name, help, env var, default) and drives
 * commander, `--help` and docs/commands.md (`npm run docs`, checked by test/unit/docs-sync.test.ts).
 */

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
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
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
