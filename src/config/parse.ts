/**
 * gd-ir's configuration file format (docs/multi-account.md, "The configuration file"): INI, as the AWS CLI's own
 * config, so an analyst who knows ~/.aws/config reads it at a glance.
 *
 *   # comment (also ;)
 *   [defaults]
 *   read_role = gd-ir-read
 *   [account 444455556666]
 *   profile = prod-ir
 *
 * Sections are `[name]` or `[kind value]`; keys are `name = value` (spaces around `=` optional, value to the end
 * of the line, trimmed; a `#` or `;` after whitespace starts a comment). A key set twice in a section, a key
 * outside any section, or a line that is none of these is an error naming the line. What a section may hold is
 * checked by whoever reads it (src/config/index.ts for `defaults` and `account`; other modules own theirs).
 */

export interface ConfigSection {
  /** `defaults`, `account`, `logs`… */
  kind: string;
  /** The second word of `[account 444455556666]`, if any. */
  name?: string;
  /** 1-based line of the header. */
  line: number;
  values: Record<string, { value: string; line: number }>;
}

export class ConfigSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const HEADER = /^\[\s*([A-Za-z][\w-]*)(?:\s+([^\]\s]+))?\s*\]$/;
const ENTRY = /^([A-Za-z][\w-]*)\s*=\s*(.*)$/;

function stripComment(value: string): string {
  const m = /\s[#;]/.exec(value);
  return (m ? value.slice(0, m.index) : value).trim();
}

export function parseConfigText(text: string): ConfigSection[] {
  const sections: ConfigSection[] = [];
  let current: ConfigSection | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = HEADER.exec(line);
    if (header) {
      const kind = (header[1] ?? '').toLowerCase();
      const name = header[2];
      if (sections.some((s) => s.kind === kind && s.name === name)) throw new ConfigSyntaxError(`section [${kind}${name ? ` ${name}` : ''}] appears twice`, lineNo);
      current = { kind, ...(name !== undefined ? { name } : {}), line: lineNo, values: {} };
      sections.push(current);
      return;
    }
    const entry = ENTRY.exec(line);
    if (!entry) throw new ConfigSyntaxError('expected [section] or key = value', lineNo);
    if (!current) throw new ConfigSyntaxError('a key outside any section: start with [defaults] or [account <id>]', lineNo);
    const key = (entry[1] ?? '').toLowerCase();
    if (Object.hasOwn(current.values, key)) throw new ConfigSyntaxError(`${key} is set twice in this section`, lineNo);
    current.values[key] = { value: stripComment(entry[2] ?? ''), line: lineNo };
  });
  return sections;
}
