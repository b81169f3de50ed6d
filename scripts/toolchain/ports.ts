import { createServer } from 'node:net';

/**
 * A TCP port that is free on 127.0.0.1 right now. The OS picks it (port 0), so two
 * servers started side by side never collide on a hard-coded default.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('freePort: the OS returned no TCP port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * A free port in [low, high] (tried at random): for servers that store a port in a narrower
 * type than TCP's, such as Temporal's membership table (a signed smallint, so at most 32767,
 * below Linux's ephemeral range where freePort() answers).
 */
export async function freePortIn(low: number, high: number, attempts = 50): Promise<number> {
  for (let i = 0; i < attempts; i++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free TCP port on 127.0.0.1 in ${low}-${high} after ${attempts} tries`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
