/**
 * The real API on a benchmark's servers (gateways to a task queue of its own, evidence in a scratch
 * folder, quiet logs), listening on a free port, and a person's token for it. Stopped with the servers.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createApp, type AppDeps } from '../api/app';
import { LocalDiskStore, type EvidenceStore } from '../evidence/store';
import { HazardGateway } from '../temporal/hazard-gateway';
import { NoticeGateway } from '../temporal/notice-gateway';
import { SuspensionGateway } from '../temporal/suspension-gateway';
import type { BenchServers } from './bench-servers';

export interface BenchApi {
  baseUrl: string;
  client: Client;
  taskQueue: string;
  /** Where the API stores uploads (a worker judging stock files reads them there). */
  evidence: EvidenceStore;
}

export async function startBenchApi(servers: BenchServers, name: string, extra: Partial<AppDeps> = {}): Promise<BenchApi> {
  const connection = await Connection.connect({ address: servers.temporalAddress });
  servers.stops.push(() => connection.close());
  const client = new Client({ connection });
  const taskQueue = `bench-${name}-${servers.stamp}`;
  const evidence = extra.evidence ?? new LocalDiskStore(join(servers.work, 'evidence'));
  const app = createApp({
    db: servers.database.db,
    temporal: client,
    hazards: new HazardGateway(client, taskQueue),
    notices: new NoticeGateway(client, taskQueue),
    suspensions: new SuspensionGateway(client, taskQueue),
    evidence,
    tokens: { secret: randomBytes(32), ttlSeconds: 3600 },
    log: pino({ level: 'warn' }),
    clock: Date.now,
    ...extra,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  servers.stops.push(() => new Promise<void>((r) => server.close(() => r())));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, client, taskQueue, evidence };
}

/** Signs a person in through the API and gives their bearer token. */
export async function benchToken(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`log-in as ${username}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}
