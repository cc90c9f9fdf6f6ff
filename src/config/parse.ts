/**
 * gd-ir's configuration file format (docs/multi-account.md, "The configuration file"): INI, as the AWS CLI's own
 * config (the same line reader: src/core/ini.ts), so an analyst who knows ~/.aws/config reads it at a glance.
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

import { iniLines } from '../core/ini.js';

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

const HEADER = /^([A-Za-z][\w-]*)(?:\s+([^\]\s]+))?$/;
const KEY = /^[A-Za-z][\w-]*$/;

function stripComment(value: string): string {
  const m = /\s[#;]/.exec(value);
  return (m ? value.slice(0, m.index) : value).trim();
}

export function parseConfigText(text: string): ConfigSection[] {
  const sections: ConfigSection[] = [];
  let current: ConfigSection | undefined;
  for (const l of iniLines(text)) {
    const header = l.kind === 'section' ? HEADER.exec(l.name) : null;
    if (header) {
      const kind = (header[1] ?? '').toLowerCase();
      const name = header[2];
      if (sections.some((s) => s.kind === kind && s.name === name)) throw new ConfigSyntaxError(`section [${kind}${name ? ` ${name}` : ''}] appears twice`, l.line);
      current = { kind, ...(name !== undefined ? { name } : {}), line: l.line, values: {} };
      sections.push(current);
      continue;
    }
    if (l.kind !== 'entry' || !KEY.test(l.key)) throw new ConfigSyntaxError('expected [section] or key = value', l.line);
    if (!current) throw new ConfigSyntaxError('a key outside any section: start with [defaults] or [account <id>]', l.line);
    const key = l.key.toLowerCase();
    if (Object.hasOwn(current.values, key)) throw new ConfigSyntaxError(`${key} is set twice in this section`, l.line);
    current.values[key] = { value: stripComment(l.value), line: l.line };
  }
  return sections;
}
