/** The API on an ephemeral port, spoken to over real HTTP. */
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { answerClientErrors } from '../../api/client-errors';

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: any;
}

export interface RequestOptions {
  body?: unknown;
  raw?: string | Uint8Array | FormData;
  token?: string | null;
  headers?: Record<string, string>;
}

export type Requester = (method: string, path: string, opts?: RequestOptions) => Promise<HttpResponse>;

export interface TestHttp {
  request: Requester;
  close(): Promise<void>;
  baseUrl: string;
}

export async function serve(app: Express): Promise<TestHttp> {
  const server = app.listen(0, '127.0.0.1');
  answerClientErrors(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let payload: string | Uint8Array | FormData | undefined = opts.raw;
      if (opts.body !== undefined) payload = JSON.stringify(opts.body);
      if (typeof payload === 'string') headers['content-type'] ??= 'application/json';
      const res = await fetch(baseUrl + path, { method, headers, body: payload as RequestInit["body"] });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: res.headers, body };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
