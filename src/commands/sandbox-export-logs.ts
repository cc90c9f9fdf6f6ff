/**
 * `gd-ir sandbox export-logs <dir>`: the scenario's CloudTrail as trail log files in the organisation
 * trail's layout (src/sandbox/logs/), to practise `--logs` offline and to benchmark it.
 */
import { mkdir, readdir } from 'node:fs/promises';
import type { SandboxExportLogsInput } from '../cli/commands/sandbox.js';
import type { Context } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { sanitize } from '../core/sanitize.js';

export async function execute(ctx: Context, { args, options: o }: SandboxExportLogsInput): Promise<number> {
  const dir = args.dir;
  const shown = sanitize(dir, { maxLength: 200 });
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw new UsageError(`cannot write ${shown}: ${err.code === 'ENOTDIR' ? 'not a directory' : (err.code ?? 'unreadable')}`);
  });
  if (entries.length > 0 && !o.force) throw new UsageError(`${shown} is not empty: not writing into it`, { remedy: 'choose a new directory, or pass --force' });
  await mkdir(dir, { recursive: true });
  const now = ctx.clock.now();
  const { exportRecords, exportWorld, SANDBOX_ORG_ID } = await import('../sandbox/logs/export.js');
  const spinner = await ctx.io.spinner(`Writing trail log files to ${shown}…`);
  let summary;
  try {
    if (o.scenario === 'workshop') {
      const { buildScenario } = await import('../sandbox/scenarios/index.js');
      summary = exportWorld(dir, buildScenario('workshop', { now }));
    } else {
      const { SYNTHETIC_DEFAULTS, syntheticRecords } = await import('../sandbox/logs/synthetic.js');
      const { LARGE } = await import('../sandbox/scenarios/large-facts.js');
      const events = o.events ?? SYNTHETIC_DEFAULTS.events;
      const params = { ...SYNTHETIC_DEFAULTS, events, files: Math.max(1, Math.round(events / 1000)), end: now };
      summary = exportRecords(dir, syntheticRecords(params), { orgId: SANDBOX_ORG_ID, defaultAccountId: LARGE.accountId });
    }
  } finally {
    spinner.stop();
  }
  if (ctx.globals.json) {
    ctx.io.printJson({ schemaVersion: 1, dir, scenario: o.scenario, files: summary.files, bytes: summary.bytes, records: summary.records, first: summary.first ?? null, last: summary.last ?? null });
  } else {
    ctx.io.info(`Wrote ${summary.records.toLocaleString('en-US')} records in ${summary.files.toLocaleString('en-US')} files (${(summary.bytes / 1e6).toFixed(1)} MB) to ${shown}${summary.first ? `, ${summary.first} → ${summary.last}` : ''}.`);
    ctx.io.hint(`Read them with: gd-ir ${o.scenario === 'workshop' ? '--sandbox ' : ''}trail --logs ${shown} --key <accessKeyId> --since <time>`);
  }
  return 0;
}
