import { describe, expect, it } from 'vitest';
import { decideColorLevel } from '../../../src/cli/io.js';

describe('colour decision', () => {
  it('is on for a TTY and off for pipes', () => {
    expect(decideColorLevel({ TERM: 'xterm' }, true, true)).toBe(1);
    expect(decideColorLevel({ TERM: 'xterm-256color' }, true, true)).toBe(2);
    expect(decideColorLevel({ TERM: 'xterm' }, true, false)).toBe(0);
  });
  it('NO_COLOR (non-empty) and --no-color turn it off, even on a TTY and with FORCE_COLOR', () => {
    expect(decideColorLevel({ NO_COLOR: '1' }, true, true)).toBe(0);
    expect(decideColorLevel({ NO_COLOR: '1', FORCE_COLOR: '1' }, true, true)).toBe(0);
    expect(decideColorLevel({ FORCE_COLOR: '1' }, false, true)).toBe(0);
    expect(decideColorLevel({ NO_COLOR: '' }, true, true)).toBe(1);
  });
  it('FORCE_COLOR forces it on pipes, FORCE_COLOR=0 forces it off', () => {
    expect(decideColorLevel({ FORCE_COLOR: '1' }, true, false)).toBe(1);
    expect(decideColorLevel({ FORCE_COLOR: '3' }, true, false)).toBe(3);
    expect(decideColorLevel({ FORCE_COLOR: '0' }, true, true)).toBe(0);
  });
  it('TERM=dumb is colourless', () => {
    expect(decideColorLevel({ TERM: 'dumb' }, true, true)).toBe(0);
  });
});
