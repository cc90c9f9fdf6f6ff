/**
 * Part 4, hostile data: a world whose every displayed string (findings, CloudTrail records, IAM tags,
 * policy names and documents) carries terminal escapes (CSI, OSC 8), CR, LF, backspace, BEL, NUL, DEL,
 * C1 controls, bidi overrides, Markdown table breakers, lone surrogates and 10 000-character values.
 * Human output (piped and on a 100-column terminal) and the Markdown report must contain no control
 * character and stay aligned; JSON output must carry the values unchanged.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { WORKSHOP } from '../../src/sandbox/scenarios/workshop-facts.js';
import { mapLimit } from '../../src/core/concurrency.js';
import { toFindingSummary } from '../../src/core/finding/index.js';
import { readFindingsInput } from '../../src/core/finding-input.js';
import { listLayout, renderHeader, renderListRow, renderRowDescription, renderRowShort } from '../../src/render/triage.js';
import { Chalk } from 'chalk';
import { sandboxEnv } from '../helpers/sandbox.js';
import { MARK, hostileWorld } from './hostile-world.js';
import { CONTROL, FIXED_NOW, LONE_SURROGATE, SGR, STACK_FRAME, assertNoLeaks, gd, outputs, printSummary } from './harness.js';

const F = WORKSHOP.findings;
const COLUMNS = 100;

/** Every string leaf of a value (JSON text inside strings included, for policy documents and CloudTrail records). */
function leaves(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === 'string') {
    out.add(value);
    if (/^[[{]/.test(value)) {
      try {
        leaves(JSON.parse(value), out);
      } catch {
        /* not JSON */
      }
    }
  } else if (Array.isArray(value)) for (const v of value) leaves(v, out);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value as Record<string, unknown>)) leaves(v, leaves(k, out));
  return out;
}

/** Column starts of a plain-text table header ("SEVERITY  TYPE  …"): where a word follows two spaces. */
function headerColumns(line: string): number[] | undefined {
  if (!/^ *[A-Z][A-Z/ .()#-]*(?: {2,}[A-Z][A-Z/ .()#-]*)+$/.test(line.trimEnd())) return undefined;
  const starts: number[] = [];
  const chars = [...line];
  const indent = line.length - line.trimStart().length;
  for (let i = indent + 2; i < chars.length; i++) if (chars[i] !== ' ' && chars[i - 1] === ' ' && chars[i - 2] === ' ') starts.push(i);
  return starts.length > 0 ? starts : undefined;
}

/** Tables in plain text: a header line ("SEVERITY  TYPE  …") and the rows under it, up to a blank line. */
function tables(text: string): Array<{ columns: number[]; lines: string[] }> {
  const out: Array<{ columns: number[]; lines: string[] }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const columns = headerColumns(lines[i] ?? '');
    if (!columns) continue;
    const table = { columns, lines: [lines[i] ?? ''] };
    for (let j = i + 1; j < lines.length && (lines[j] ?? '').trim() !== '' && !headerColumns(lines[j] ?? ''); j++) table.lines.push(lines[j] ?? '');
    out.push(table);
  }
  return out;
}

/**
 * Rows whose column gaps are not where their header's are. Only rows with as many cells as the header
 * are data rows (a summary line under a table, or a row with an empty cell, has fewer).
 */
const cellCount = (l: string): number => l.trim().split(/ {2,}/).length;

function misaligned(text: string): string[] {
  const bad: string[] = [];
  for (const t of tables(text)) {
    const header = t.lines[0] ?? '';
    for (const line of t.lines.slice(1)) {
      if (cellCount(line) !== cellCount(header)) continue;
      const row = [...line];
      for (const c of t.columns) if (row.length > c && row[c - 1] !== ' ') bad.push(`gap at column ${c}: ${line.slice(0, 140)}`);
    }
  }
  return bad;
}

/** Markdown table rows with another number of cells than their header. */
function brokenMarkdownTables(md: string): string[] {
  const bad: string[] = [];
  const cells = (l: string): number => l.replace(/\\\|/g, '').replace(/`[^`]*`/g, '').split('|').length;
  let header: number | undefined;
  for (const line of md.split('\n')) {
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    if (header === undefined) header = cells(line);
    else if (cells(line) !== header) bad.push(line.slice(0, 160));
  }
  return bad;
}

const counts = { placed: 0, humanOutputs: 0, tableRows: 0, triageLines: 0, markdown: 0, jsonOutputs: 0, jsonValues: 0 };

describe('hostile data in findings, CloudTrail and IAM', () => {
  let sb: RunningSandbox;
  let dir: string;
  let hostile: Set<string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gd-ir-hostile-data-'));
    const world = hostileWorld();
    hostile = new Set([...leaves(world, new Set())].filter((s) => s.includes(MARK)));
    counts.placed = hostile.size;
    sb = await startSandbox({ port: 0, world, cloudTrailRateLimit: false, now: () => new Date(FIXED_NOW.getTime()) });
  });
  afterAll(async () => {
    await sb?.close();
    rmSync(dir, { recursive: true, force: true });
    const scanned = assertNoLeaks();
    printSummary('hostile data', {
      'hostile strings placed': counts.placed,
      'human outputs checked': counts.humanOutputs,
      'table rows checked on a terminal': counts.tableRows,
      'triage screen lines checked': counts.triageLines,
      'Markdown reports checked': counts.markdown,
      'JSON outputs checked': counts.jsonOutputs,
      'hostile values kept exactly in JSON': counts.jsonValues,
      'outputs scanned for secrets': scanned,
    });
  });

  const clock = { now: () => new Date(FIXED_NOW.getTime()), sleep: async (_ms: number, signal?: AbortSignal) => signal?.throwIfAborted() };
  const env = () => sandboxEnv(sb, { XDG_STATE_HOME: dir, GD_IR_AUDIT_LOG: join(dir, 'audit.jsonl') });
  const westFindings = () => (sb.world.regions['us-west-2']?.findings ?? []).map((f) => f.id);

  const humanCommands = (): string[][] => [
    ['findings', 'list', '--all'],
    ...westFindings().map((id) => ['findings', 'show', id]),
    ['trail', '--finding', F.unauthorizedAccessCustom, '--follow'],
    ['trail', '--key', WORKSHOP.compromised.derivedSessionKeyId, '--since', '2h'],
    ['trail', '--finding', F.credentialExfiltration],
    ['policies', WORKSHOP.compromised.userName, '--documents'],
    ['policies', WORKSHOP.developer.userName, '--documents'],
    ['policies', '--role', WORKSHOP.role.roleName, '--documents'],
    ['investigate', F.unauthorizedAccessCustom],
    ['investigate', F.credentialExfiltration],
    ['investigate', F.hostileKali],
    ['investigate', F.sshBruteForce],
    ['remediate', '--key', WORKSHOP.compromised.accessKeyId, '--revoke-sessions', '--dry-run'],
  ];

  it('human output has no control characters, on a pipe and on a terminal, and tables stay aligned', { timeout: 120_000 }, async () => {
    const problems: string[] = [];
    let tableRows = 0;
    const displayedHostile = new Set<string>();
    const runs = humanCommands().flatMap((argv) => [
      { argv, tty: false },
      { argv, tty: true },
    ]);
    await mapLimit(runs, 4, async ({ argv, tty }) => {
      // stderr stays a pipe: the in-process harness's fake stream cannot host ora's cursor movements.
      const run = await gd(argv, { env: env(), clock, stdoutTTY: tty, columns: tty ? COLUMNS : undefined });
      counts.humanOutputs++;
      const where = `${argv.slice(0, 3).join(' ')}${tty ? ' [tty]' : ''}`;
      if (run.code !== 0) problems.push(`${where}: exit ${run.code}: ${run.stderr.slice(0, 300)}`);
      // remediate --dry-run prints its plan on stderr; everything else prints on stdout.
      const shown = argv[0] === 'remediate' ? run.stderr : run.stdout;
      if (shown.trim() === '') problems.push(`${where}: no output`);
      if (shown.includes('RLO')) displayedHostile.add(argv.join(' '));
      if (STACK_FRAME.test(run.stderr)) problems.push(`${where}: stack trace`);
      for (const [stream, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
        const plain = tty ? text.replace(SGR, '') : text;
        if (!tty && SGR.test(text)) problems.push(`${where}: colour on a pipe (${stream})`);
        const m = CONTROL.exec(plain);
        if (m) problems.push(`${where}: ${stream} holds U+${m[0].codePointAt(0)?.toString(16).padStart(4, '0')} near ${JSON.stringify(plain.slice(Math.max(0, m.index - 40), m.index + 10))}`);
        if (LONE_SURROGATE.test(plain)) problems.push(`${where}: ${stream} holds a lone surrogate`);
        if (tty && stream === 'stdout') {
          // Tables are fitted to the terminal; free text (a 10 000-character description) may run on.
          const rows = tables(plain).flatMap((t) => t.lines.filter((l) => cellCount(l) === cellCount(t.lines[0] ?? '')));
          const wide = rows.filter((l) => [...l].length > COLUMNS);
          tableRows += rows.length;
          if (wide.length > 0) problems.push(`${where}: ${wide.length} table lines wider than ${COLUMNS} columns, e.g. (${[...(wide[0] ?? '')].length}) ${JSON.stringify(wide[0])}`);
        }
      }
      for (const b of misaligned(tty ? run.stdout.replace(SGR, '') : run.stdout).slice(0, 3)) problems.push(`${where}: misaligned ${b}`);
    });
    // The clean-output checks mean something only if the hostile values were displayed (sanitised), on a
    // pipe or a terminal (a narrow terminal may truncate them away). A remediation plan shows only the
    // key and user, which are not hostile in this world.
    for (const argv of humanCommands()) {
      if (argv[0] !== 'remediate' && !displayedHostile.has(argv.join(' '))) problems.push(`${argv.join(' ')}: no hostile value in the output at all (nothing was tested)`);
    }
    expect(problems).toEqual([]);
    // The findings list and the trail timelines are tables: the alignment checks had rows to look at.
    expect(tableRows).toBeGreaterThan(100);
    counts.tableRows = tableRows;
  });

  it('the triage console screens (header, findings list rows, row description) are clean and fit the terminal', () => {
    // The console needs a terminal to run; its screens are pure renderers, fed here the hostile findings.
    const all = Object.values(sb.world.regions).flatMap((r) => r.findings);
    const summaries = readFindingsInput(Buffer.from(JSON.stringify({ findings: all })), 'hostile world').map(toFindingSummary);
    expect(summaries.length).toBe(all.length);
    const style = new Chalk({ level: 1 });
    const problems: string[] = [];
    for (const columns of [80, 100, 160]) {
      const layout = listLayout(summaries, columns);
      const lines = [
        ...renderHeader({ accountId: WORKSHOP.accountId, region: 'us-west-2', callerArn: 'arn:aws:iam::111122223333:user/ir-analyst', findings: summaries, includeArchived: true, sandbox: true }, style, columns).split('\n'),
        ...summaries.map((f) => renderListRow(f, layout, { style, now: FIXED_NOW })),
        ...summaries.map((f) => renderRowShort(f)),
        ...summaries.map((f) => renderRowDescription(f)),
      ];
      counts.triageLines += lines.length;
      for (const line of lines.map((l) => l.replace(SGR, ''))) {
        if (CONTROL.test(line) || LONE_SURROGATE.test(line)) problems.push(`${columns}: control character in ${JSON.stringify(line.slice(0, 120))}`);
      }
      const rows = summaries.map((f) => [...renderListRow(f, layout, { style, now: FIXED_NOW }).replace(SGR, '')].length);
      if (rows.some((w) => w > columns)) problems.push(`${columns}: a list row is ${Math.max(...rows)} columns wide`);
    }
    expect(problems).toEqual([]);
  });

  it('the Markdown report has no control characters and its tables keep their cells', { timeout: 60_000 }, async () => {
    const problems: string[] = [];
    for (const id of [F.unauthorizedAccessCustom, F.credentialExfiltration, F.hostileKali, F.sshBruteForce]) {
      const path = join(dir, `report-${id}.md`);
      const run = await gd(['investigate', id, '--report', path, '--force'], { env: env(), clock });
      expect(run.code, run.stderr).toBe(0);
      const md = readFileSync(path, 'utf8');
      outputs.add(`report ${id}`, md);
      counts.markdown++;
      const m = CONTROL.exec(md);
      if (m) problems.push(`${id}: U+${m[0].codePointAt(0)?.toString(16)} near ${JSON.stringify(md.slice(Math.max(0, m.index - 40), m.index + 10))}`);
      if (LONE_SURROGATE.test(md)) problems.push(`${id}: lone surrogate`);
      for (const row of brokenMarkdownTables(md).slice(0, 3)) problems.push(`${id}: table row with a different cell count: ${row}`);
      if (!md.includes('RLO')) problems.push(`${id}: the hostile values are not in the report at all (nothing was tested)`);
    }
    expect(problems).toEqual([]);
  });

  it('JSON output keeps every hostile value exactly', { timeout: 60_000 }, async () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    const hostileValues = [...hostile].sort((a, b) => b.length - a.length);
    const jsonCommands = [
      ['findings', 'list', '--all', '--json'],
      ...westFindings().map((id) => ['findings', 'show', id, '--json']),
      ['trail', '--finding', F.unauthorizedAccessCustom, '--follow', '--json', '--raw'],
      ['policies', WORKSHOP.developer.userName, '--json'],
      ['policies', '--role', WORKSHOP.role.roleName, '--json'],
      ['investigate', F.unauthorizedAccessCustom, '--json'],
      ['investigate', F.credentialExfiltration, '--json'],
    ];
    await mapLimit(jsonCommands, 4, async (argv) => {
      const run = await gd(argv, { env: env(), clock });
      counts.jsonOutputs++;
      if (run.code !== 0) {
        problems.push(`${argv.join(' ')}: exit ${run.code}: ${run.stderr.slice(0, 400)}`);
        return;
      }
      const out = leaves(JSON.parse(run.stdout), new Set());
      const carried = [...out].filter((s) => s.includes(MARK));
      if (carried.length === 0) problems.push(`${argv.slice(0, 3).join(' ')}: no hostile value in the JSON at all`);
      for (const s of carried) {
        if (hostile.has(s)) seen.add(s);
        // Prose fields (evidence, recommendations) quote a value inside a sentence: it must be there whole.
        else if (!hostileValues.some((h) => s.includes(h))) problems.push(`${argv.slice(0, 3).join(' ')}: altered value ${JSON.stringify(s.slice(-120))}`);
      }
    });
    counts.jsonValues = seen.size;
    expect(problems.slice(0, 20)).toEqual([]);
    expect(seen.size).toBeGreaterThan(50);
  });
});
