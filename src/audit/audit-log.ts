/**
 * The append-only audit log (JSON Lines): the only file I/O of remediation.
 *
 * - The directory is created 0700 and the file 0600: the trail says who contained what, which is
 *   nobody else's business on a shared host.
 * - Each record is one `write(2)` of one complete line on an O_APPEND descriptor, so concurrent gd-ir
 *   processes never interleave partial lines (the kernel positions and writes an O_APPEND write
 *   atomically for regular files).
 * - `durable` records (intents) are fsynced before append() returns, i.e. before the API call they
 *   announce: if the machine dies mid-call, the intent is on disk.
 * - A torn last line (a crash mid-write, a full disk) is reported by read(), never fatal; a record
 *   appended right after such a fragment is still read (see parseAuditLog).
 */
import { closeSync, constants, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { RuntimeError } from '../core/errors.js';
import { type AuditRecord, parseAuditLog, type ParsedAuditLog } from '../core/audit.js';

export const AUDIT_LOG_ENV = 'GD_IR_AUDIT_LOG';

/** --audit-log, then GD_IR_AUDIT_LOG, then $XDG_STATE_HOME/gd-ir/audit.jsonl. */
export function resolveAuditLogPath(opts: {
  option?: string;
  env: Record<string, string | undefined>;
  stateDir: string;
  cwd?: string;
  /** `--sandbox` runs keep their own log, so rehearsals never mix with the record of real containment. */
  sandbox?: boolean;
}): string {
  const fallback = opts.sandbox ? join(opts.stateDir, 'sandbox', 'audit.jsonl') : join(opts.stateDir, 'audit.jsonl');
  const chosen = opts.option || opts.env[AUDIT_LOG_ENV] || fallback;
  return isAbsolute(chosen) ? chosen : resolve(opts.cwd ?? '.', chosen);
}

export interface AuditLogReadResult extends ParsedAuditLog {
  /** The file does not exist yet (nothing was ever remediated with this log). */
  missing: boolean;
  /** A warning about the file's permissions, when group or others can read it. */
  permissionWarning?: string;
}

function fileError(path: string, what: string, err: unknown): RuntimeError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new RuntimeError(`cannot ${what} the audit log ${path} (${code})`, {
    code: 'audit_log',
    remedy: `check the path and its permissions, or choose another with --audit-log <path> / ${AUDIT_LOG_ENV}`,
    cause: err,
  });
}

export class AuditLog {
  constructor(readonly path: string) {}

  /** Identifies this process in records, so a later run can tell a dead writer from a live one. */
  static readonly writer = { pid: process.pid, host: hostname() };

  /**
   * Append one record as one line. `durable`: fsync before returning (intents: before the API call).
   * Throws RuntimeError when the log cannot be written: remediation must not act unrecorded.
   */
  append(record: AuditRecord, opts: { durable: boolean }): void {
    const dir = dirname(this.path);
    let createdDir = false;
    try {
      statSync(dir);
    } catch {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        createdDir = true;
      } catch (err) {
        throw fileError(this.path, 'create the directory of', err);
      }
    }
    let fd: number;
    try {
      fd = openSync(this.path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
    } catch (err) {
      throw fileError(this.path, 'open', err);
    }
    try {
      // One write(2) of one whole line, nothing read first: a check-then-write would race with other
      // writers. A fragment left by a crash mid-write is handled by the reader (parseAuditLog).
      const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
      const written = writeSync(fd, line);
      if (written !== line.length) throw Object.assign(new Error('short write'), { code: 'EIO' });
      if (opts.durable) fsyncSync(fd);
    } catch (err) {
      throw fileError(this.path, 'write', err);
    } finally {
      closeSync(fd);
    }
    if (createdDir) syncDirectory(dir);
  }

  /** All records, plus the lines that are not records. A missing file is an empty log. */
  read(): AuditLogReadResult {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], corrupt: [], missing: true };
      throw fileError(this.path, 'read', err);
    }
    const parsed = parseAuditLog(text);
    return { ...parsed, missing: false, permissionWarning: this.permissionWarning() };
  }

  private permissionWarning(): string | undefined {
    try {
      const mode = statSync(this.path).mode & 0o777;
      if ((mode & 0o077) !== 0) {
        return `the audit log ${this.path} is readable by others (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 600 ${this.path}`;
      }
    } catch {
      /* unreadable metadata: read() already reported what matters */
    }
    return undefined;
  }
}

/** Make a new directory entry durable (the file's name, not only its contents). */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* some filesystems refuse fsync on directories; the record itself is already synced */
  }
}

/** Whether the process that wrote `record` is still running (same host, pid alive). */
export function isWriterAlive(record: Pick<AuditRecord, 'pid' | 'host'>): boolean {
  if (record.pid === undefined || record.host !== AuditLog.writer.host) return false;
  if (record.pid === process.pid) return true;
  try {
    process.kill(record.pid, 0);
    return true;
  } catch {
    // ESRCH: gone. EPERM: the pid was reused by another user's process — not our writer either.
    return false;
  }
}
