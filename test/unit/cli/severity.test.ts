import { describe, expect, it } from 'vitest';
import { severityLabel, severityLevel, severityThreshold } from '../../../src/core/severity.js';

describe('severity', () => {
  it.each([
    [0, 'Low'], [1, 'Low'], [2, 'Low'], [3.9, 'Low'],
    [4, 'Medium'], [5, 'Medium'], [6.9, 'Medium'],
    [7, 'High'], [8, 'High'], [8.9, 'High'],
    [9, 'Critical'], [10, 'Critical'],
  ])('%s → %s', (n, label) => {
    expect(severityLabel(n)).toBe(label);
  });

  it('thresholds are the lower bounds of the bands', () => {
    expect(severityThreshold('low')).toBe(1);
    expect(severityThreshold('medium')).toBe(4);
    expect(severityThreshold('high')).toBe(7);
    expect(severityThreshold('critical')).toBe(9);
    expect(severityLevel(severityThreshold('high'))).toBe('high');
  });
});
