/**
 * A log file's bytes as text: gunzip (on libuv's thread pool, so decompression runs on every core
 * while the main thread matches) with a cap on the output, so a decompression bomb stops at the cap
 * instead of filling memory. Plain `.json`/`.jsonl` files pass through.
 */
import { promisify } from 'node:util';
import { createGunzip, gunzip, type Gunzip } from 'node:zlib';

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

/**
 * A log file's bytes as they arrive (an S3 body): gunzipped while it downloads, output capped, the
 * compressed bytes kept too (for the cache). Plain JSON passes through.
 */
export async function decodeLogStream(chunks: AsyncIterable<Uint8Array>, maxIn = MAX_FILE_BYTES, maxOut = MAX_DECOMPRESSED_BYTES): Promise<{ stored: Buffer; text: Buffer }> {
  const stored: Buffer[] = [];
  let inBytes = 0;
  let gz: Gunzip | undefined;
  let plain = false;
  const out: Buffer[] = [];
  let outBytes = 0;
  let failure: Error | undefined;
  let finishGz: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finishGz = resolve;
  });
  const startGzip = (): Gunzip => {
    const z = createGunzip({ chunkSize: CHUNK });
    z.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > maxOut) {
        failure ??= new SkipFileError(`decompresses to more than ${Math.round(maxOut / 1024 / 1024)} MiB (a decompression bomb?)`);
        z.destroy();
        finishGz();
        return;
      }
      out.push(b);
    });
    z.on('error', (err: NodeJS.ErrnoException) => {
      failure ??= err.code === 'Z_BUF_ERROR' ? new SkipFileError('truncated gzip data') : new SkipFileError(`corrupt gzip data (${err.message})`);
      finishGz();
    });
    z.on('end', () => finishGz());
    return z;
  };
  for await (const chunk of chunks) {
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    inBytes += b.length;
    if (inBytes > maxIn) throw new SkipFileError(`larger than ${Math.round(maxIn / 1024 / 1024)} MiB`);
    stored.push(b);
    if (!gz && !plain) {
      const head = Buffer.concat(stored);
      if (head.length < 2) continue;
      if (isGzip(head)) {
        gz = startGzip();
        gz.write(head);
        continue;
      }
      plain = true;
      continue;
    }
    if (gz && !failure && !gz.write(b)) await new Promise<void>((resolve) => gz?.once('drain', resolve).once('close', resolve));
    if (failure) break;
  }
  const all = Buffer.concat(stored);
  if (!gz) return { stored: all, text: all };
  if (!failure) gz.end();
  await finished;
  if (failure) throw failure;
  return { stored: all, text: Buffer.concat(out) };
}
