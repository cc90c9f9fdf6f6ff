/** Which gd-ir commands exist in this build (benchmarks of commands still in progress are skipped, not faked). */
import { COMMANDS } from '../../src/cli/commands/index.js';

export function hasCommand(...path: string[]): boolean {
  const key = path.join(' ');
  return COMMANDS.some((c) => c.path.join(' ') === key);
}
