/**
 * `gd-ir investigate <findingId>`: from alert to a decision in one report. The gathering is
 * src/flows/investigation/ (shared with the console and the demo); this file checks the input, runs it
 * and prints the report (terminal, --json, --report Markdown).
 */
import { constants as fsConstants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { InvestigateInput } from '../cli/commands/investigate.js';
import type { Context } from '../cli/context.js';
import { runScope } from '../cli/invocation.js';
import { UsageError } from '../core/errors.js';
import type { Finding } from '../core/finding/index.js';
import type { InvestigationReport } from '../core/investigation/index.js';
import type { LogsSpec } from '../core/trail/index.js';
import { sanitize } from '../core/sanitize.js';
import { readFindingsFile } from '../flows/finding-file.js';
import { chooseTrailSource, configuredSourceLine } from '../flows/trail-source.js';
import { runInvestigation } from '../flows/investigation/gather.js';
import { investigationJson } from '../render/investigation/json.js';
import { renderInvestigationMarkdown } from '../render/investigation/markdown.js';
import { renderInvestigation } from '../render/investigation/terminal.js';

export interface InvestigateOptions {
  /** --logs; undefined: the configuration file's `[logs] source`, else event history (src/flows/trail-source.ts). */
  logs: LogsSpec | undefined;
  athenaWorkgroup?: string;
  athenaOutput?: string;
  cache: boolean;
  logsProfile?: string;
  findingId?: string;
  fromFile?: string;
  detectorId?: string;
  report?: string;
  force: boolean;
  strict: boolean;
  follow: boolean;
  maxEvents?: number;
  rate?: number;
}

async function assertWritable(path: string, force: boolean): Promise<void> {
  const shown = sanitize(path, { maxLength: 200 });
  // A report that cannot be written is known before the investigation runs: say so before any AWS call.
  const dir = dirname(path);
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new UsageError(`cannot write ${shown}: ${sanitize(dir, { maxLength: 200 })} ${dirStat ? 'is not a directory' : 'does not exist'}`);
  try {
    await access(dir, fsConstants.W_OK);
  } catch {
    throw new UsageError(`cannot write ${shown}: permission denied`);
  }
  const fileStat = await stat(path).catch(() => undefined);
  if (fileStat?.isDirectory()) throw new UsageError(`cannot write ${shown}: it is a directory`);
  if (fileStat && !force) {
    throw new UsageError(`${shown} already exists: not overwriting it`, { remedy: 'choose another file name, or pass --force to replace it' });
  }
}

export async function execute(ctx: Context, { args, options: o }: InvestigateInput): Promise<number> {
  const opts: InvestigateOptions = { ...o, ...(args.findingId !== undefined ? { findingId: args.findingId } : {}) };
  if (opts.report) await assertWritable(opts.report, opts.force);
  const trailSource = chooseTrailSource(ctx, opts);
  if (trailSource.configured) ctx.io.info(configuredSourceLine(trailSource));
  let fileFinding: Finding | undefined;
  if (opts.fromFile !== undefined) {
    const found = await readFindingsFile(ctx, opts.fromFile);
    if (found.length !== 1) {
      throw new UsageError(`--from-file holds ${found.length} findings; investigate takes exactly one`, {
        remedy: 'extract one finding (jq \'.findings[0]\'), or use gd-ir findings list --from-file to pick its ID',
      });
    }
    fileFinding = found[0];
  }
  const spinner = await ctx.io.spinner(fileFinding ? 'Gathering…' : 'Reading the finding…');
  let report: InvestigationReport;
  try {
    report = await runInvestigation(ctx, opts.findingId, {
      ...(ctx.globals.region ? { region: ctx.globals.region } : {}),
      ...(opts.detectorId ? { detectorId: opts.detectorId } : {}),
      ...(fileFinding ? { finding: fileFinding } : {}),
      follow: opts.follow,
      ...(opts.maxEvents !== undefined ? { maxEvents: opts.maxEvents } : {}),
      ...(opts.rate !== undefined ? { rate: opts.rate } : {}),
      onStatus: (text) => spinner.update(text),
      logs: trailSource.logs,
      source: trailSource.source,
    });
  } finally {
    spinner.stop();
  }
  const now = ctx.clock.now();
  // A file's finding may be from any region: its commands name it unless it is the one configured.
  const scope = runScope(ctx, fileFinding ? (ctx.globals.region ?? ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION ?? '') : await ctx.aws.region(), report.access);
  if (ctx.globals.json) ctx.io.printJson(investigationJson(report, scope));
  else ctx.io.out(renderInvestigation(report, { style: ctx.io.style, columns: ctx.io.columns, stdoutIsTTY: ctx.io.stdoutIsTTY, scope }, now));
  if (opts.report) {
    await writeFile(opts.report, renderInvestigationMarkdown(report, now, scope), { flag: opts.force ? 'w' : 'wx', mode: 0o600 }).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new UsageError(`${sanitize(opts.report, { maxLength: 200 })} already exists: not overwriting it`, { remedy: 'pass --force to replace it' });
      }
      throw new UsageError(`cannot write ${sanitize(opts.report, { maxLength: 200 })}: ${(err as NodeJS.ErrnoException).code ?? 'write error'}`);
    });
    ctx.io.info(`Report written to ${sanitize(opts.report, { maxLength: 200 })}`);
  }
  const warnings = report.investigation.warnings;
  for (const w of warnings) ctx.io.warn(`${w.section}: ${w.message}`);
  return warnings.length > 0 && opts.strict ? 1 : 0;
}
