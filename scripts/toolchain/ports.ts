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
