/**
 * The command table: every command registered with its lazily loaded handler, in the order
 * `gd-ir --help` lists them. Declarations (help, options, validation) are in the files beside this one;
 * implementations in src/commands/ are imported only when their command runs.
 */
import type { CommandSpec, GroupSpec } from '../command-spec.js';
import { register } from '../command-spec.js';
import { athenaGroup, athenaSetup } from './athena.js';
import { audit } from './audit.js';
import { contain } from './contain.js';
import { findingsGroup, findingsList, findingsShow } from './findings.js';
import { investigate } from './investigate.js';
import { policies } from './policies.js';
import { remediate } from './remediate.js';
import { sandbox, sandboxExportLogs, sandboxReset } from './sandbox.js';
import { setupGroup, setupRoles } from './setup.js';
import { trail } from './trail.js';
import { watch } from './watch.js';
import { demo, triage } from './triage.js';

export const GROUPS: readonly GroupSpec[] = [findingsGroup, athenaGroup, setupGroup];

export const COMMANDS: readonly CommandSpec[] = [
  register(demo, () => import('../../commands/demo.js')),
  register(triage, () => import('../../commands/triage.js')),
  register(findingsList, () => import('../../commands/findings/list.js')),
  register(findingsShow, () => import('../../commands/findings/show.js')),
  register(investigate, () => import('../../commands/investigate.js')),
  register(trail, () => import('../../commands/trail.js')),
  register(athenaSetup, () => import('../../commands/athena-setup.js')),
  register(policies, () => import('../../commands/policies.js')),
  register(remediate, () => import('../../commands/remediate.js')),
  register(contain, () => import('../../commands/contain.js')),
  register(watch, () => import('../../commands/watch.js')),
  register(audit, () => import('../../commands/audit.js')),
  register(sandbox, () => import('../../commands/sandbox.js')),
  register(sandboxReset, () => import('../../commands/sandbox-reset.js')),
  register(sandboxExportLogs, () => import('../../commands/sandbox-export-logs.js')),
  register(setupRoles, () => import('../../commands/setup-roles.js')),
];
