/**
 * The command table: one entry per verb, in the order `gd-ir --help` lists them. Each entry's
 * implementation lives in src/commands/ and is imported only when that command runs.
 */
import type { CommandSpec, GroupSpec } from './command-spec.js';

export const GROUPS: readonly GroupSpec[] = [];

export const COMMANDS: readonly CommandSpec[] = [];
