/**
 * A log file's bytes as text: gunzip (on libuv's thread pool, so decompression runs on every core
 * while the main thread matches) with a cap on the output, so a decompression bomb stops at the cap
 * instead of filling memory. Plain `.json`/`.jsonl` files pass through.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

/** Caps: a real log file is a few MB; these leave room for unusual ones and stop bombs. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
export const MAX_DECOMPRESSED_BYTES = 1024 * 1024 * 1024;
/** Larger zlib output chunks: fewer hops between the thread pool and the main thread (measured ~2×). */
const CHUNK = 1024 * 1024;

export class SkipFileError extends Error {}

export const isGzip = (buf: Buffer): boolean => buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;

export async function decodeLogBytes(buf: Buffer, maxOut = MAX_DECOMPRESSED_BYTES): Promise<Buffer> {
  if (!isGzip(buf)) return buf;
  try {
    return await gunzipAsync(buf, { chunkSize: CHUNK, maxOutputLength: maxOut });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new SkipFileError(`decompresses to more than ${Math.round(maxOut / 1024 / 1024)} MiB (a decompression bomb?)`);
    if (code === 'Z_BUF_ERROR') throw new SkipFileError('truncated gzip data');
    throw new SkipFileError(`corrupt gzip data (${(err as Error).message})`);
  }
}
