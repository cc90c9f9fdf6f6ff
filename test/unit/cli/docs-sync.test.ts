import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands/index.js';
import { renderCommandReference } from '../../../src/cli/reference.js';

const root = new URL('../../../', import.meta.url);

describe('docs stay in step with --help', () => {
  it('docs/commands.md is generated from the current command table (run `npm run docs`)', () => {
    const onDisk = readFileSync(new URL('docs/commands.md', root), 'utf8');
    expect(onDisk).toBe(renderCommandReference(COMMANDS));
  });

  it('every command has 2–4 examples and a page under docs/commands/', () => {
    for (const c of COMMANDS.filter((x) => !x.hidden)) {
      expect(c.examples.length, c.path.join(' ')).toBeGreaterThanOrEqual(2);
      expect(c.examples.length, c.path.join(' ')).toBeLessThanOrEqual(4);
      expect(existsSync(new URL(`docs/commands/${c.path[0]}.md`, root)), `docs/commands/${c.path[0]}.md`).toBe(true);
    }
  });
});
