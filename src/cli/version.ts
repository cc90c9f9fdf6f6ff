import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** gd-ir's version, from package.json (two levels above both src/cli and dist/cli). */
export function gdIrVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    cached = pkg.version ?? '0.0.0';
  }
  return cached;
}
