/** `gd-ir triage` (and `gd-ir` alone on a terminal): the interactive console (src/console/). */
import type { TriageInput } from '../cli/commands/triage.js';
import type { Context } from '../cli/context.js';
import { requireTerminal, runTriage } from '../console/index.js';

export async function execute(ctx: Context, { options }: TriageInput): Promise<number> {
  requireTerminal(ctx);
  await runTriage(ctx, { includeArchived: options.all });
  return 0;
}
