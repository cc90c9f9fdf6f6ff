/**
 * Terminal sanitiser for attacker-controlled text (user agents, user names, request parameters, tags).
 * Every human renderer passes untrusted strings through `sanitize`; JSON output keeps raw values.
 *
 * Removes: ESC-introduced sequences (CSI, OSC incl. OSC 8 hyperlinks, DCS/SOS/PM/APC strings, two-byte
 * escapes), 8-bit C1 introducers and their sequences, every remaining C0/C1 control character and DEL,
 * and Unicode bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).
 * Newlines and tabs become spaces so a value stays on its line; lone surrogates become U+FFFD.
 */

// OSC / DCS / SOS / PM / APC: ESC ] … (BEL | ESC \ | 8-bit ST), possibly unterminated till the end.
const STRING_SEQUENCE = /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)/g;
// CSI: ESC [ or 8-bit 0x9B, parameters, intermediates, final byte.
const CSI_SEQUENCE = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?/g;
// Other escapes: ESC followed by an intermediate/final byte (e.g. ESC c, ESC ( B, ESC 7).
const ESC_SEQUENCE = /\u001b[ -/]*[0-~]?/g;
const WHITESPACE_CONTROLS = /[\t\n\v\f\r]+/g;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const DETECT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

export interface SanitizeOptions {
  /** Keep line breaks (for multi-line documents the renderer lays out itself). Default false. */
  keepNewlines?: boolean;
  /** Cut to this many characters, ending with "…". */
  maxLength?: number;
}

export function sanitize(value: unknown, options: SanitizeOptions = {}): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  s = s.replace(LONE_SURROGATE, '\ufffd');
  s = s.replace(STRING_SEQUENCE, '').replace(CSI_SEQUENCE, '').replace(ESC_SEQUENCE, '');
  if (options.keepNewlines) {
    s = s.replace(/\r\n?/g, '\n').replace(/[\t\v\f]/g, ' ');
    s = s.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '');
  } else {
    s = s.replace(WHITESPACE_CONTROLS, ' ');
  }
  s = s.replace(CONTROLS, (c: string) => (options.keepNewlines && c === '\n' ? c : '')).replace(BIDI, '');
  if (options.maxLength !== undefined && s.length > options.maxLength) {
    s = s.slice(0, Math.max(0, options.maxLength - 1)) + '…';
  }
  return s;
}

/** True when the raw value carried terminal control characters or bidi overrides (worth flagging to an analyst). */
export function hasControlCharacters(value: unknown): boolean {
  return typeof value === 'string' && DETECT.test(value);
}
