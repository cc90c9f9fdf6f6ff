/**
 * Generates docs/commands.md from the option and command tables, so the reference can never drift
 * from `--help` (test/unit/cli/docs-sync.test.ts fails when it is stale; `npm run docs` rewrites it).
 */
import type { CommandSpec } from './command-spec.js';
import { GLOBAL_OPTIONS, type OptionSpec } from './options.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|');

function optionRows(options: readonly OptionSpec[]): string {
  const rows = options
    .filter((o) => !o.hidden)
    .map((o) => {
      const extras = [
        o.choices ? `one of: ${o.choices.map((c) => `\`${c}\``).join(', ')}` : '',
        o.defaultValue !== undefined ? `default: \`${String(o.defaultValue)}\`` : '',
        o.repeatable ? 'repeatable' : '',
        o.env ? `env: \`${o.env}\`` : '',
      ].filter(Boolean);
      return `| \`${cell(o.flags)}\` | ${cell(o.description)}${extras.length ? ` (${extras.join('; ')})` : ''} |`;
    });
  return ['| Option | Description |', '|---|---|', ...rows].join('\n');
}

export function renderCommandReference(commands: readonly CommandSpec[]): string {
  const out: string[] = [
    '# Command reference',
    '',
    '<!-- Generated from the command declarations (src/cli/commands/) by `npm run docs`. Do not edit by hand. -->',
    '',
    'Every command accepts the global options, `--help` and, where it prints data, `--json`',
    '(contracts in [json.md](json.md)). Exit codes: [exit-codes.md](exit-codes.md).',
    '',
    '## Global options',
    '',
    optionRows(GLOBAL_OPTIONS),
    '',
  ];
  for (const c of commands.filter((x) => !x.hidden)) {
    const name = c.path.join(' ');
    const args = (c.args ?? []).map((a) => a.name).join(' ');
    out.push(`## gd-ir ${name}`, '', c.summary.charAt(0).toUpperCase() + c.summary.slice(1) + '.', '');
    if (c.description) out.push(c.description, '');
    out.push('```', `gd-ir ${name}${c.options?.length ? ' [options]' : ''}${args ? ` ${args}` : ''}`, '```', '');
    if (c.args?.length) {
      out.push('| Argument | Description |', '|---|---|', ...c.args.map((a) => `| \`${cell(a.name)}\` | ${cell(a.description)} |`), '');
    }
    if (c.options?.length) out.push(optionRows(c.options), '');
    if (c.examples.length) {
      out.push('Examples:', '', '```sh', ...c.examples.flatMap((e) => [`# ${e.description}`, e.command]), '```', '');
    }
    const page = c.path[0];
    out.push(`More: [commands/${page}.md](commands/${page}.md)`, '');
  }
  return out.join('\n');
}
