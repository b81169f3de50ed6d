// @ts-check
/**
 * A worker thread that calls one URL from C loops for S seconds, each loop waiting for its answer
 * before the next call, and posts back every latency. Plain JavaScript so it runs as a worker under
 * tsx and under vitest alike; kept off the measured process's event loop, so the caller's own
 * request making is not counted in the server's latency. Keep-alive HTTP/1.1, like a browser.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ url: string; headers: Record<string, string>; connections: number; seconds: number }} */
const { url, headers, connections, seconds } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });

/** @returns {Promise<number>} the status code, once the whole answer has arrived */
function call() {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const latencies = /** @type {number[]} */ ([]);
let errors = 0;
const started = performance.now();
const end = started + seconds * 1000;
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        const status = await call();
        if (status < 200 || status >= 300) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t);
    }
  }),
);
agent.destroy();
parentPort?.postMessage({ latencies, errors, seconds: (performance.now() - started) / 1000 });
