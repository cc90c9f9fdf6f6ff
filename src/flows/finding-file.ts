/**
 * Reads `--from-file <path|->` for the findings commands: the file or stdin, size-capped while reading,
 * then handed to the pure parser (src/core/finding-input.ts). Errors are usage errors (exit 2).
 */
import { open } from 'node:fs/promises';
import type { Context } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { MAX_INPUT_BYTES, readFindingsInput } from '../core/finding-input.js';
import type { Finding } from '../core/finding/index.js';
import { sanitize } from '../core/sanitize.js';

const TOO_LARGE = `is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB: split the findings into smaller files`;

async function readStdin(ctx: Context): Promise<Uint8Array> {
  const stdin = ctx.io.streams.stdin;
  if (stdin.isTTY) throw new UsageError('--from-file - reads findings from stdin, but stdin is a terminal: pipe a file in (… | gd-ir findings list --from-file -)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buf.byteLength;
    if (size > MAX_INPUT_BYTES) throw new UsageError(`stdin ${TOO_LARGE}`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

async function readPath(path: string): Promise<Uint8Array> {
  const shown = sanitize(path, { maxLength: 200 });
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable');
    throw new UsageError(`cannot read ${shown}: ${why}`);
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new UsageError(`cannot read ${shown}: it is a directory`);
    if (st.isFile() && st.size > MAX_INPUT_BYTES) throw new UsageError(`${shown} ${TOO_LARGE}`);
    // Read at most one byte past the cap so FIFOs and growing files are capped too.
    const buf = Buffer.alloc(Math.min(MAX_INPUT_BYTES + 1, st.isFile() ? st.size + 1 : MAX_INPUT_BYTES + 1));
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, total, buf.byteLength - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_INPUT_BYTES) throw new UsageError(`${shown} ${TOO_LARGE}`);
      if (total === buf.byteLength) break;
    }
    return buf.subarray(0, total);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${shown}: ${code === 'EISDIR' ? 'it is a directory' : (code ?? 'read error')}`);
  } finally {
    await handle.close();
  }
}

/** Findings from a file or `-` (stdin). */
export async function readFindingsFile(ctx: Context, path: string): Promise<Finding[]> {
  if (path === '') throw new UsageError('--from-file needs a path, or - for stdin');
  const bytes = path === '-' ? await readStdin(ctx) : await readPath(path);
  return readFindingsInput(bytes, path === '-' ? 'stdin' : sanitize(path, { maxLength: 200 }));
}
