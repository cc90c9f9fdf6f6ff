import { describe, expect, it } from 'vitest';
import { installWarningFilter } from '../../../src/cli/warnings.js';

describe('warning filter', () => {
  it("drops only the AWS SDK's NodeVersionSupportWarning; other warnings still reach the user", () => {
    const seen: unknown[] = [];
    const proc = { emitWarning: (...args: unknown[]) => void seen.push(args[0]) } as unknown as Pick<NodeJS.Process, 'emitWarning'>;
    installWarningFilter(proc);
    proc.emitWarning('NodeVersionSupportWarning: The AWS SDK for JavaScript (v3) versions published after …');
    proc.emitWarning(Object.assign(new Error('future node'), { name: 'NodeVersionSupportWarning' }));
    proc.emitWarning('MaxListenersExceededWarning: Possible EventTarget memory leak detected');
    proc.emitWarning(new Error('a deprecation'));
    expect(seen).toHaveLength(2);
    expect(String(seen[0])).toContain('MaxListenersExceededWarning');
    expect((seen[1] as Error).message).toBe('a deprecation');
  });
});
