/**
 * moto's server (Apache-2.0, the Python AWS mock; present on this project's machines) as an independent AWS
 * implementation for the tests that prove gd-ir has no sandbox-only paths. `HAS_MOTO` is false when it cannot be
 * imported; those suites are then skipped and say why in their name.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const HAS_MOTO = spawnSync('python3', ['-c', 'import moto.server, flask'], { stdio: 'ignore' }).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface Moto {
  url: string;
  close(): void;
}

/** Starts `python3 -m moto.server` on a free port and waits until it answers (10 s at most). */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${url}/moto-api/`).then((r) => r.ok, () => false)) return { url, close: () => child.kill() };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`moto's server did not start on ${url}`);
}
