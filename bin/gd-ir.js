#!/usr/bin/env node
// `gd-ir --version` is answered here, before any module of the CLI is loaded, so a version probe costs
// about what `node` itself costs (bench/startup.ts).
//
// Otherwise: `npm run build` also writes dist/bundle/, the same modules in a few files with lazy chunks,
// which starts faster than loading dist/ module by module (docs/performance.md). A bare `tsc` run leaves
// the bundle older than dist/cli/entry.js; then the modules are loaded one by one, never a stale bundle.
const fs = process.getBuiltinModule('node:fs');
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const bundle = new URL('../dist/bundle/entry.js', import.meta.url);
  const modules = new URL('../dist/cli/entry.js', import.meta.url);
  let fresh = false;
  try {
    fresh = fs.statSync(bundle).mtimeMs >= fs.statSync(modules).mtimeMs;
  } catch {
    // no bundle (or no build at all: the import below reports it)
  }
  await import(fresh ? bundle.href : modules.href);
}
