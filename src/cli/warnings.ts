/**
 * The AWS SDK announces its future Node requirement with process.emitWarning on every run under
 * Node 20. gd-ir supports Node 20, so that notice is noise for the user; drop only that one and let
 * every other warning through.
 */
export function installWarningFilter(proc: Pick<NodeJS.Process, 'emitWarning'>): void {
  const original = proc.emitWarning.bind(proc) as (...args: unknown[]) => void;
  proc.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/^NodeVersionSupportWarning\b/.test(text) || (typeof warning !== 'string' && warning.name === 'NodeVersionSupportWarning')) return;
    original(warning, ...rest);
  }) as typeof proc.emitWarning;
}
