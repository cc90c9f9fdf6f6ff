/**
 * The one-way data flow (docs/architecture.md), checked on the source: argv → command → gateway → core
 * → renderer, and nothing below imports from above.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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

/**
 * The static import graph of src/: every `import … from`, `import type … from`, `export … from` and bare
 * `import '…'` of a relative module. Type-only imports count: a type cycle is the same tangle as a value cycle
 * (it is how the sandbox's context and services used to depend on each other). Dynamic `import()` does not count:
 * it is a lazy-loading boundary, resolved at run time.
 */
function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const re = /^\s*(?:import|export)\s[^;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const file of files(root)) {
    const deps: string[] = [];
    for (const m of readFileSync(file, 'utf8').matchAll(re)) {
      const target = resolve(dirname(file), m[1] ?? m[2] ?? '').replace(/\.js$/, '.ts');
      deps.push(existsSync(target) ? target : target.replace(/\.ts$/, '/index.ts'));
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Strongly connected components with more than one module (or a module importing itself): the cycles. */
function findCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
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

  it('src/config (the configuration file) depends only on src/core', () => {
    expect(violations('config', ['core'])).toEqual([]);
  });

  it('src/access (reaching other accounts) uses the gateways, the config and core, and the CLI context only as a type', () => {
    expect(violations('access', ['core', 'aws', 'config'], ['cli'])).toEqual([]);
  });

  it('src/sandbox stands alone (it must be usable without the CLI)', () => {
    expect(violations('sandbox', [])).toEqual([]);
  });

  it('src/flows (the work commands, the console and the demo share) never reach up to a command or the console', () => {
    expect(violations('flows', ['core', 'aws', 'access', 'render', 'audit', 'cli', 'sources', 'config'])).toEqual([]);
  });

  it('src/console uses the flows and renderers, never a command file', () => {
    expect(violations('console', ['core', 'aws', 'access', 'render', 'flows', 'cli'])).toEqual([]);
  });

  it('no command file imports another command file (shared work lives in src/flows or src/console)', () => {
    const crossings = files(join(SRC, 'commands')).flatMap((f) =>
      imports(f)
        .filter((i) => i.layer === 'commands')
        .map((i) => `${relative(SRC, f)} imports ${i.spec}`),
    );
    expect(crossings).toEqual([]);
  });

  it('src/ has no import cycles (static imports, type-only ones included)', () => {
    const graph = importGraph(SRC);
    expect(graph.size).toBeGreaterThan(50);
    expect(findCycles(graph).map((c) => c.map((f) => relative(SRC, f)).join(' ↔ '))).toEqual([]);
  });

  it('the cycle check finds a cycle when there is one', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c'], ['e']]);
  });

  it('the check sees imports at all', () => {
    expect(imports(join(SRC, 'render', 'findings.ts')).some((i) => i.layer === 'core')).toBe(true);
  });
});
