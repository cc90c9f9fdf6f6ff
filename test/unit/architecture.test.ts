/**
 * The one-way data flow (docs/architecture.md), checked on the source: argv → command → gateway → core
 * → renderer, and nothing below imports from above.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import of a file: [layer imported, type-only?]. */
function imports(file: string): Array<{ layer: string; typeOnly: boolean; spec: string }> {
  const text = readFileSync(file, 'utf8');
  const out: Array<{ layer: string; typeOnly: boolean; spec: string }> = [];
  const re = /(import\s+type\s[^;]*?from\s*|import\s[^;]*?from\s*|import\s*\(\s*|export\s[^;]*?from\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const m of text.matchAll(re)) {
    const target = relative(SRC, join(file, '..', m[2] ?? ''));
    out.push({ layer: target.split('/')[0] ?? '', typeOnly: /^import\s+type\s/.test(m[1] ?? ''), spec: m[2] ?? '' });
  }
  return out;
}

function violations(layer: string, allowed: readonly string[], typeOnlyAllowed: readonly string[] = []): string[] {
  return files(join(SRC, layer)).flatMap((f) =>
    imports(f)
      .filter((i) => i.layer !== layer && !allowed.includes(i.layer) && !(i.typeOnly && typeOnlyAllowed.includes(i.layer)))
      .map((i) => `${relative(SRC, f)} imports ${i.spec}`),
  );
}

describe('architecture', () => {
  it('src/core imports nothing outside src/core (pure logic, no I/O layers)', () => {
    expect(violations('core', [])).toEqual([]);
  });

  it('src/render depends only on src/core', () => {
    expect(violations('render', ['core'])).toEqual([]);
  });

  it('src/aws gateways depend on src/core, and on the CLI context only as a type', () => {
    expect(violations('aws', ['core'], ['cli'])).toEqual([]);
  });

  it('src/sources (log sources) depend on src/core and src/aws, and on the CLI context only as a type', () => {
    expect(violations('sources', ['core', 'aws'], ['cli'])).toEqual([]);
  });

  it('src/sandbox stands alone (it must be usable without the CLI)', () => {
    expect(violations('sandbox', [])).toEqual([]);
  });

  it('the check sees imports at all', () => {
    expect(imports(join(SRC, 'render', 'findings.ts')).some((i) => i.layer === 'core')).toBe(true);
  });
});
