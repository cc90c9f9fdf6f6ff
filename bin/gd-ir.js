#!/usr/bin/env node
// `npm run build` also writes dist/bundle/: the same modules in one file plus lazy chunks, which starts
// faster than loading dist/ module by module (docs/performance.md). A bare `tsc` run leaves the bundle
// older than dist/cli/entry.js; then the modules are loaded one by one, never a stale bundle.
import { statSync } from 'node:fs';

const bundle = new URL('../dist/bundle/entry.js', import.meta.url);
const modules = new URL('../dist/cli/entry.js', import.meta.url);
let fresh = false;
try {
  fresh = statSync(bundle).mtimeMs >= statSync(modules).mtimeMs;
} catch {
  // no bundle (or no build at all: the import below reports it)
}
await import(fresh ? bundle.href : modules.href);
