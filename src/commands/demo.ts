/**
 * `gd-ir demo` (`npm run demo`): the first thing a newcomer runs. The command table makes it run on a
 * freshly restored in-process sandbox (`forceSandbox: 'fresh'`); on a terminal it opens the triage
 * console on the workshop incident, and without one it prints a walkthrough (findings, the
 * investigation of the custom-threat-list finding, the commands that contain it) so CI logs and pipes
 * get something useful too.
 */
import type { Context } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { WORKSHOP } from '../sandbox/scenarios/workshop-facts.js';
import { wrapText } from '../render/format.js';
import { sanitize } from '../core/sanitize.js';
import { renderSectionTitle } from '../render/triage.js';
import { runTriage } from '../console/index.js';

/** The three lines that say what the scenario is. */
export function demoIntro(ctx: Pick<Context, 'io'>): string[] {
  const s = ctx.io.style;
  const c = WORKSHOP.compromised;
  // The newcomer's first screen: on a narrow terminal, wrap at word boundaries rather than mid-word.
  const line = (label: string, text: string): string => wrapText(text, ctx.io.columns, `${s.bold(label)} `, '  ');
  return [
    line('The incident:', `IAM user ${s.cyan(c.userName)}'s access key ${s.cyan(c.accessKeyId)} leaked.`),
    line('The alert:', `GuardDuty saw it used from ${s.red(WORKSHOP.threatListIp)}, an IP on your custom threat list (all local: no AWS account).`),
    line('Your move:', `pick ${s.yellow('UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom')}, read the investigation, contain the key.`),
  ];
}

/** The non-interactive walkthrough: findings, then the investigation, then what to run. */
export async function runWalkthrough(ctx: Context): Promise<void> {
  const { findDetectorId, listFindings, unreadableWarning } = await import('../aws/guardduty.js');
  const { toFindingListItem, compareFindings } = await import('../core/finding/index.js');
  const { renderFindingsList } = await import('../render/findings.js');
  const { runInvestigation } = await import('../flows/investigation/gather.js');
  const { runScope } = await import('../cli/invocation.js');
  const { commandLine } = await import('../core/suggestion.js');
  const { renderInvestigation } = await import('../render/investigation/terminal.js');
  const io = ctx.io;
  const now = ctx.clock.now();
  for (const line of demoIntro(ctx)) io.out(line);
  io.out('');

  const region = await ctx.aws.region();
  const scope = runScope(ctx, region);
  const target = { style: io.style, columns: io.columns, stdoutIsTTY: io.stdoutIsTTY, scope };
  const detectorId = await findDetectorId(ctx, region);
  const listed = await listFindings(ctx, { region, detectorId, criteria: { Criterion: { 'service.archived': { Equals: ['false'] } } } });
  for (const u of listed.unreadable) io.warn(unreadableWarning(u, region));
  const items = listed.findings.map(toFindingListItem).sort((a, b) => compareFindings('severity')(a.summary, b.summary));
  io.out(renderSectionTitle(`The findings in ${region} (gd-ir --sandbox findings list)`, io.style, io.columns));
  io.out(renderFindingsList(items, target, { showRegion: false, now }));
  io.out('');

  const findingId = WORKSHOP.findings.unauthorizedAccessCustom;
  io.out(renderSectionTitle(`The investigation (gd-ir --sandbox investigate ${findingId})`, io.style, io.columns));
  const spinner = await io.spinner('Investigating…');
  let report;
  try {
    report = await runInvestigation(ctx, findingId, { region, detectorId, onStatus: (t) => spinner.update(t) });
  } finally {
    spinner.stop();
  }
  io.out(renderInvestigation(report, target, now));
  io.out('');

  const rec = report.investigation.recommendation;
  io.out(renderSectionTitle('Contain it', io.style, io.columns));
  io.out(sanitize(rec.summary));
  for (const c of rec.commands) io.out(`  ${io.style.cyan(sanitize(commandLine(c, scope)))}`);
  if (rec.watch.length) {
    io.out(io.style.dim('Then keep watching the key:'));
    for (const w of rec.watch) io.out(`  ${io.style.cyan(sanitize(commandLine(w, scope)))}`);
  }
  io.out(io.style.dim('Or run `gd-ir demo` on a terminal to do it in the console.'));
}

export async function execute(ctx: Context): Promise<number> {
  if (ctx.globals.json) {
    throw new UsageError('gd-ir demo has no JSON output', { remedy: `use the subcommands: gd-ir --sandbox investigate ${WORKSHOP.findings.unauthorizedAccessCustom} --json` });
  }
  if (!ctx.interactive) {
    await runWalkthrough(ctx);
    return 0;
  }
  await runTriage(ctx, { intro: demoIntro(ctx) });
  return 0;
}
