import { describe, expect, it } from 'vitest';
import { hasControlCharacters, sanitize } from '../../../src/core/sanitize.js';

const ESC = '\u001b';
const BEL = '\u0007';

describe('sanitize', () => {
  it('keeps ordinary text, including non-ASCII letters and emoji', () => {
    expect(sanitize('aws-cli/2.15 Python/3.11 Zürich 東京 ✔')).toBe('aws-cli/2.15 Python/3.11 Zürich 東京 ✔');
  });

  it('removes CSI sequences (colours, cursor movement, screen clearing)', () => {
    expect(sanitize(`${ESC}[31mred${ESC}[0m ${ESC}[2J${ESC}[H${ESC}[?25lhidden`)).toBe('red hidden');
  });

  it('removes OSC sequences, including OSC 8 hyperlinks and window titles, with BEL or ST terminators', () => {
    expect(sanitize(`${ESC}]8;;http://evil.example/${BEL}click${ESC}]8;;${BEL}`)).toBe('click');
    expect(sanitize(`${ESC}]0;pwned title${ESC}\\after`)).toBe('after');
    expect(sanitize(`before${ESC}]52;c;ZXZpbA==`)).toBe('before');
  });

  it('removes DCS/APC/PM strings and two-byte escapes', () => {
    expect(sanitize(`a${ESC}P1$qm${ESC}\\b${ESC}_apc${ESC}\\c${ESC}cd${ESC}(Be`)).toBe('abcde');
  });

  it('removes 8-bit C1 introducers and their sequences', () => {
    expect(sanitize('x\u009b31my\u009d0;t\u0007z\u0085w')).toBe('xyzw');
  });

  it('removes every C0 and C1 control character and DEL; CR/LF/TAB become spaces', () => {
    let all = '';
    for (let c = 0; c < 0x20; c++) if (c !== 0x1b) all += String.fromCharCode(c);
    for (let c = 0x7f; c <= 0x9f; c++) if (![0x90, 0x98, 0x9b, 0x9d, 0x9e, 0x9f].includes(c)) all += String.fromCharCode(c);
    const out = sanitize(`[${all}]`);
    expect(out).toMatch(/^\[ *\]$/);
    expect(/[\u0000-\u001f\u007f-\u009f]/.test(out)).toBe(false);
    expect(sanitize('line1\r\nline2\tx\rfake')).toBe('line1 line2 x fake');
    expect(sanitize('abc\b\b\bxyz')).toBe('abcxyz');
  });

  it('removes Unicode bidi overrides and isolates (Trojan Source)', () => {
    const bidi = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    expect(sanitize(`user${bidi}name`)).toBe('username');
    expect(sanitize('evil\u202Etxt.exe')).toBe('eviltxt.exe');
  });

  it('replaces lone surrogates (invalid UTF-8 decoded upstream) with U+FFFD', () => {
    expect(sanitize('a\ud800b\udc00c')).toBe('a\ufffdb\ufffdc');
    expect(sanitize('😀')).toBe('😀');
  });

  it('keeps newlines only when asked (documents laid out by the renderer)', () => {
    expect(sanitize('a\nb\r\nc', { keepNewlines: true })).toBe('a\nb\nc');
    expect(sanitize(`a\n${ESC}[31mb`, { keepNewlines: true })).toBe('a\nb');
  });

  it('truncates long values with an ellipsis', () => {
    expect(sanitize('x'.repeat(100), { maxLength: 10 })).toBe('xxxxxxxxx…');
  });

  it('stringifies non-strings and empties nullish', () => {
    expect(sanitize(undefined)).toBe('');
    expect(sanitize(null)).toBe('');
    expect(sanitize(42)).toBe('42');
  });

  it('detects control characters so renderers can flag tampered values', () => {
    expect(hasControlCharacters(`ua${ESC}[31m`)).toBe(true);
    expect(hasControlCharacters('ua\u202e')).toBe(true);
    expect(hasControlCharacters('plain ua')).toBe(false);
  });
});
