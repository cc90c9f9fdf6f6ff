/**
 * The HTTP shell: a Node server on one port that reads capped bodies, writes replies with the common headers,
 * survives handler failures and client errors, and closes its keep-alive sockets on close().
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Reply } from './types.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the request body up to the cap; resolves undefined when the cap is exceeded. */
export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The client's IP address as CloudTrail would write it (an IPv4-mapped IPv6 address as plain IPv4). */
export function clientAddress(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? '127.0.0.1';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice('::ffff:'.length) : a;
}

/** Sends a reply with Content-Type, Content-Length and the request ID (Node adds Date). */
export function writeReply(req: IncomingMessage, res: ServerResponse, reply: Reply, requestId: string, extra: Record<string, string> = {}): void {
  const headers: Record<string, string | number> = {
    'Content-Type': reply.contentType,
    'Content-Length': Buffer.byteLength(reply.body),
    'x-amzn-RequestId': requestId,
    ...(reply.headers ?? {}),
    ...extra,
  };
  res.writeHead(reply.status, headers);
  res.end(req.method === 'HEAD' ? undefined : reply.body);
}

export interface HttpShell {
  port: number;
  endpoint: string;
  close(): Promise<void>;
}

export async function listen(
  host: string,
  port: number,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  log?: (line: string) => void,
): Promise<HttpShell> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log?.(`sandbox: request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json', 'x-amzn-RequestId': randomUUID() });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: 'The sandbox failed to process the request.' }));
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  let closed = false;
  return {
    port: actual,
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
    },
  };
}
