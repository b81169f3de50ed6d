/**
 * A TCP proxy in front of a real server that can hold the server's replies: while held, what a
 * client sends still arrives and is acted on, but no answer comes back until released. The
 * network fault behind "the call timed out, yet the server did it".
 */
import { connect, createServer, type Socket } from 'node:net';

export interface ReplyHoldProxy {
  /** host:port to reach the server through. */
  address: string;
  hold(): void;
  /** Delivers every held reply and lets replies through again. */
  release(): void;
  close(): Promise<void>;
}

export async function startReplyHoldProxy(target: string): Promise<ReplyHoldProxy> {
  const [host, port] = splitAddress(target);
  let holding = false;
  const links = new Set<{ client: Socket; held: Buffer[] }>();
  const server = createServer((client) => {
    const upstream = connect(port, host);
    const link = { client, held: [] as Buffer[] };
    links.add(link);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => (holding ? link.held.push(chunk) : client.write(chunk)));
    const end = () => {
      links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${own}`,
    hold: () => void (holding = true),
    release() {
      holding = false;
      for (const link of links) for (const chunk of link.held.splice(0)) link.client.write(chunk);
    },
    close() {
      for (const link of links) link.client.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
}
