/**
 * A local HTTP endpoint standing for an SMS gateway or a group robot, failing on purpose: the
 * first `failFirst` posts of each idempotency key get a 500 (or a robot's errcode), and after
 * that a post fails with probability `failRate` from a seeded sequence. It keeps every post and
 * accepts a key once (a repeat of an accepted key is answered OK and not counted again), as
 * providers that take idempotency keys do.
 */
import { createServer, type Server } from 'node:http';

export interface FakePost {
  key: string;
  body: Record<string, unknown>;
  outcome: 'accepted' | 'failed' | 'repeat';
}

export interface FakeEndpoint {
  url: string;
  posts: FakePost[];
  /** Keys accepted, each with how many times it was accepted (must be 1). */
  accepted: Map<string, number>;
  close(): Promise<void>;
}

export async function startFakeEndpoint(opts: { failFirst?: number; failRate?: number; seed?: number; robotErrors?: boolean } = {}): Promise<FakeEndpoint> {
  const posts: FakePost[] = [];
  const accepted = new Map<string, number>();
  const triesByKey = new Map<string, number>();
  let seed = opts.seed ?? 42;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const tries = (triesByKey.get(key) ?? 0) + 1;
      triesByKey.set(key, tries);
      if (accepted.has(key)) {
        posts.push({ key, body, outcome: 'repeat' });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
        return;
      }
      if (tries <= (opts.failFirst ?? 0) || random() < (opts.failRate ?? 0)) {
        posts.push({ key, body, outcome: 'failed' });
        // Robots answer 200 with an error code; gateways answer 5xx.
        if (opts.robotErrors && tries % 2 === 0) res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":45009,"errmsg":"api freq out of limit"}');
        else res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"busy"}');
        return;
      }
      accepted.set(key, (accepted.get(key) ?? 0) + 1);
      posts.push({ key, body, outcome: 'accepted' });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/send`, posts, accepted, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
