// Rewrites docs/commands.md from the command and option tables (`npm run docs`).
import { writeFileSync } from 'node:fs';
import { COMMANDS } from '../src/cli/commands/index.js';
import { renderCommandReference } from '../src/cli/reference.js';

writeFileSync(new URL('../docs/commands.md', import.meta.url), renderCommandReference(COMMANDS));
process.stderr.write('docs/commands.md updated\n');
