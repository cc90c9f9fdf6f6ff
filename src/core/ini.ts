/**
 * The INI dialect gd-ir reads, one way for both files that use it: the AWS shared config and credentials files
 * (src/aws/shared-config.ts) and gd-ir's own configuration file (src/config/parse.ts), which follows the same
 * format on purpose (docs/multi-account.md).
 *
 * A line is blank, a comment (`#` or `;` as its first non-blank character), a section header `[name]` (a trailing
 * `# comment` allowed), an entry `key = value` (spaces around `=` optional; the value is the rest of the line,
 * trimmed), or something else. Whether a line is indented matters to the AWS files (an indented line continues a
 * nested setting such as `s3 =`); what an entry's value may hold, inline comments included, is the reader's
 * business. Pure: no I/O.
 */

export type IniLine =
  /** `[name]`: the text between the brackets, trimmed. */
  | { line: number; kind: 'section'; name: string }
  | { line: number; kind: 'entry'; key: string; value: string; indented: boolean }
  /** Neither blank, comment, section nor entry. */
  | { line: number; kind: 'other'; text: string };

const SECTION = /^\s*\[\s*([^\]]*?)\s*\]\s*(?:[#;].*)?$/;
const ENTRY = /^(\s*)([^=\s][^=]*?)\s*=\s*(.*?)\s*$/;

/** The meaningful lines of an INI text, numbered from 1 (a byte-order mark and \r\n line ends are accepted). */
export function iniLines(text: string): IniLine[] {
  const out: IniLine[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = i + 1;
      if (raw.trim() === '' || /^\s*[#;]/.test(raw)) return;
      const section = SECTION.exec(raw);
      if (section) {
        out.push({ line, kind: 'section', name: section[1] ?? '' });
        return;
      }
      const entry = ENTRY.exec(raw);
      if (entry) out.push({ line, kind: 'entry', key: entry[2] ?? '', value: entry[3] ?? '', indented: (entry[1] ?? '') !== '' });
      else out.push({ line, kind: 'other', text: raw.trim() });
    });
  return out;
}
