/**
 * GuardDuty severity: the one source of truth for number → label and label → threshold.
 * Bands per https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-severity.html
 * (Low 1.0–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0).
 */
export const SEVERITY_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];
export type SeverityLabel = 'Low' | 'Medium' | 'High' | 'Critical';

const THRESHOLDS: Record<SeverityLevel, number> = { low: 1, medium: 4, high: 7, critical: 9 };
const LABELS: Record<SeverityLevel, SeverityLabel> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

export function severityLevel(severity: number): SeverityLevel {
  if (severity >= THRESHOLDS.critical) return 'critical';
  if (severity >= THRESHOLDS.high) return 'high';
  if (severity >= THRESHOLDS.medium) return 'medium';
  return 'low';
}

export function severityLabel(severity: number): SeverityLabel {
  return LABELS[severityLevel(severity)];
}

/** The lowest numeric severity of a level ("high" → 7). */
export function severityThreshold(level: SeverityLevel): number {
  return THRESHOLDS[level];
}

export function isSeverityLevel(value: string): value is SeverityLevel {
  return (SEVERITY_LEVELS as readonly string[]).includes(value);
}

/** Levels from most to least severe, for summaries ("High 3 · Medium 8 · Low 1"). */
export const SEVERITY_ORDER: readonly SeverityLevel[] = ['critical', 'high', 'medium', 'low'];
