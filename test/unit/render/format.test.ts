import { describe, expect, it } from 'vitest';
import { wrapText } from '../../../src/render/format.js';

describe('wrapText', () => {
  it('wraps at the width with a hanging indent', () => {
    const text = 'Deactivate the key: every request signed with it is rejected and the key is kept for evidence';
    const out = wrapText(text, 40, '  1. ', '     ');
    expect(out).toBe(
      ['  1. Deactivate the key: every request', '     signed with it is rejected and the', '     key is kept for evidence'].join('\n'),
    );
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(40);
  });

  it('does not wrap on a pipe (no width)', () => {
    expect(wrapText('a b c', undefined, '> ', '  ')).toBe('> a b c');
  });

  it('measures coloured prefixes by their visible width', () => {
    const out = wrapText('one two three four five six seven', 30, '\u001b[2mLabel\u001b[22m  ', '       ');
    expect(out.split('\n')[0]).toBe('\u001b[2mLabel\u001b[22m  one two three four five');
  });

  it('keeps a word longer than the width on its own line rather than breaking it', () => {
    expect(wrapText(`x ${'y'.repeat(50)} z`, 30, '', '')).toBe(`x\n${'y'.repeat(50)}\nz`);
  });
});
