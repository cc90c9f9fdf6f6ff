/** The one style table: severity colours and semantic styles. Colour only decorates text that is always there. */
import type { ChalkInstance } from 'chalk';
import { severityLabel, severityLevel, type SeverityLevel } from '../core/severity.js';

const SEVERITY_STYLE: Record<SeverityLevel, (c: ChalkInstance) => ChalkInstance> = {
  critical: (c) => c.bold.magenta,
  high: (c) => c.bold.red,
  medium: (c) => c.yellow,
  low: (c) => c.blue,
};

/** "High" (styled when colour is on). */
export function styleSeverity(c: ChalkInstance, severity: number): string {
  return SEVERITY_STYLE[severityLevel(severity)](c)(severityLabel(severity));
}

export function styleSeverityLevel(c: ChalkInstance, level: SeverityLevel, text: string): string {
  return SEVERITY_STYLE[level](c)(text);
}

export const styles = {
  heading: (c: ChalkInstance, s: string): string => c.bold(s),
  label: (c: ChalkInstance, s: string): string => c.dim(s),
  danger: (c: ChalkInstance, s: string): string => c.red(s),
  warning: (c: ChalkInstance, s: string): string => c.yellow(s),
  ok: (c: ChalkInstance, s: string): string => c.green(s),
  id: (c: ChalkInstance, s: string): string => c.cyan(s),
  command: (c: ChalkInstance, s: string): string => c.cyan(s),
};
