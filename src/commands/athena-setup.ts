/**
 * `gd-ir athena setup`: the partition-projected CloudTrail table (src/core/logs/athena-ddl.ts), printed,
 * and with --apply created through Athena in the log source's account.
 */
import { runQuery } from '../aws/athena.js';
import type { AthenaSetupInput } from '../cli/commands/athena.js';
import type { Context } from '../cli/context.js';
import { runScope } from '../cli/invocation.js';
import { buildSetupStatements } from '../core/logs/athena-ddl.js';
import { commandLine, gdIr } from '../core/suggestion.js';
import { logClients } from '../sources/open.js';

export async function execute(ctx: Context, { options: o }: AthenaSetupInput): Promise<number> {
  const start = o.start ?? new Date(ctx.clock.now().getTime() - 90 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '/');
  const statements = buildSetupStatements({
    database: o.database,
    table: o.table,
    bucket: o.bucket as string,
    prefix: o.prefix,
    ...(o.org ? { orgId: o.org } : {}),
    accounts: o.accounts as string[],
    regions: o.regions,
    startDay: start,
  });
  const next = gdIr(['trail', '--finding', '<findingId>', '--logs', `athena:${o.database}.${o.table}`], 'read', false);
  if (!o.apply) {
    if (ctx.globals.json) ctx.io.printJson({ schemaVersion: 1, applied: false, statements, next: commandLine(next, runScope(ctx)) });
    else {
      ctx.io.out(statements.map((s) => `${s};`).join('\n\n'));
      ctx.io.hint('Run them in the Athena console, or again with --apply.');
    }
    return 0;
  }
  const aws = logClients(ctx, o.logsProfile);
  const ids: string[] = [];
  try {
    for (const sql of statements) {
      const status = await runQuery(
        { aws, clock: ctx.clock, signal: ctx.signal },
        { sql, parameters: [], ...(o.athenaWorkgroup ? { workgroup: o.athenaWorkgroup } : {}), ...(o.athenaOutput ? { outputLocation: o.athenaOutput } : {}) },
      );
      ids.push(status.id);
    }
  } finally {
    if (aws !== ctx.aws) await aws.destroy();
  }
  if (ctx.globals.json) ctx.io.printJson({ schemaVersion: 1, applied: true, statements, queryExecutionIds: ids, next: commandLine(next, runScope(ctx)) });
  else {
    ctx.io.out(statements.map((s) => `${s};`).join('\n\n'));
    ctx.io.info(`Created ${o.database}.${o.table} (queries ${ids.join(', ')}).`);
    ctx.io.hint(`Read a trail from it: ${commandLine(next, runScope(ctx))}`);
  }
  return 0;
}
