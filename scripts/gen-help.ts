// Writes the stored top-level help next to the bundle (`npm run bundle`, after esbuild): dist/bundle/help/,
// rendered by the program the bundle was built from (dist/cli/run.js). See scripts/help-store-build.ts.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { HELP_STORE_DIR } from '../src/cli/help-store.js';
import { buildHelpStore, HelpStoreError, type RunCli } from './help-store-build.js';

const root = new URL('../', import.meta.url);
const bundle = new URL('dist/bundle/', root);
if (!existsSync(new URL('entry.js', bundle))) {
  console.error('gen-help: dist/bundle/entry.js is missing (run `npm run build`)');
  process.exit(1);
}
const { runCli } = (await import(new URL('dist/cli/run.js', root).href)) as { runCli: RunCli };
const dir = new URL(HELP_STORE_DIR, bundle);
rmSync(dir, { recursive: true, force: true });
try {
  const { index, texts } = await buildHelpStore(runCli);
  mkdirSync(dir, { recursive: true });
  texts.forEach((text, id) => writeFileSync(new URL(`${id}.txt`, dir), text));
  // The index last: a store cut short has no index, and the entry point then prints the full CLI's help.
  writeFileSync(new URL('index.json', dir), JSON.stringify(index));
} catch (err) {
  if (!(err instanceof HelpStoreError)) throw err;
  console.error(`gen-help: the top-level help cannot be stored: ${err.message}`);
  process.exit(1);
}
