/**
 * The one INI line reader (src/core/ini.ts) behind the AWS shared files (src/aws/shared-config.ts) and gd-ir's
 * configuration file (src/config/parse.ts): the same text reads the same way in both.
 */
import { describe, expect, it } from 'vitest';
import { parseProfiles } from '../../../src/aws/shared-config.js';
import { parseConfig } from '../../../src/config/index.js';
import { iniLines } from '../../../src/core/ini.js';

describe('iniLines', () => {
  it('sections (trailing comment allowed), entries (indentation kept as a flag), everything else; comments and blanks dropped', () => {
    const text = ['\uFEFF# comment', '  ; also a comment', '', '[ defaults ]  # why', 'read_role=gd-ir-read', '  nested = 1', 'key = a # b', 'just text', '[account 444455556666]\r', '=x'].join('\n');
    expect(iniLines(text)).toEqual([
      { line: 4, kind: 'section', name: 'defaults' },
      { line: 5, kind: 'entry', key: 'read_role', value: 'gd-ir-read', indented: false },
      { line: 6, kind: 'entry', key: 'nested', value: '1', indented: true },
      { line: 7, kind: 'entry', key: 'key', value: 'a # b', indented: false },
      { line: 8, kind: 'other', text: 'just text' },
      { line: 9, kind: 'section', name: 'account 444455556666' },
      { line: 10, kind: 'other', text: '=x' },
    ]);
  });

  it('both readers take the same lines: a key both understand reads the same', () => {
    const shared = parseProfiles('[profile prod-ir]  # the member\nregion = us-west-2\n  s3_nested = ignored\n', 'config');
    expect(shared.get('prod-ir')).toEqual({ region: 'us-west-2' });
    const own = parseConfig('[account 444455556666]  # the member\nprofile = prod-ir\n  read_role = gd-ir-read\n', '/c.ini');
    // gd-ir's file has no nested settings: an indented key is a key.
    expect(own.accounts['444455556666']).toEqual({ profile: 'prod-ir', readRole: 'gd-ir-read' });
  });
});
