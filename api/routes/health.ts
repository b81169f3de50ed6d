/**
 * Health for people and orchestrators: liveness (the process answers: restart it if not) and
 * readiness (whether Postgres and the Temporal frontend answer, naming the one that does not:
 * take it out of the load balancer, do not restart it). `/api/health` is readiness, as before.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { route, type RouteSpec } from '../route-spec';
import type { AppDeps } from '../app';

const CHECK_TIMEOUT_MS = 3000;

async function probe(check: () => Promise<unknown>): Promise<'ok' | string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (error) {
    return `unavailable: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    clearTimeout(timer);
  }
}

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z.object({ postgres: z.string(), temporal: z.string() }),
  down: z.array(z.enum(['postgres', 'temporal'])).describe('the dependencies that did not answer'),
});
const liveSchema = z.object({ status: z.literal('ok'), uptimeSeconds: z.number() });

export function healthRoutes({ db, temporal }: AppDeps): RouteSpec[] {
  const readiness = (path: string, operationId: string, summary: string) =>
    route({
      method: 'get',
      path,
      operationId,
      summary,
      tag: 'operations',
      access: 'public',
      responses: { 200: { description: 'all well', schema: healthSchema }, 503: { description: 'a dependency is down (named in `down`)', schema: healthSchema } },
      async handler({ res }) {
        const [postgres, temporalStatus] = await Promise.all([
          probe(() => db.execute(sql`select 1`)),
          // A deadline of its own, so the call is abandoned, not just no longer awaited.
          probe(() => temporal.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => temporal.workflowService.getSystemInfo({}))),
        ]);
        const down = [...(postgres === 'ok' ? [] : ['postgres']), ...(temporalStatus === 'ok' ? [] : ['temporal'])];
        res.status(down.length ? 503 : 200).json({ status: down.length ? 'degraded' : 'ok', checks: { postgres, temporal: temporalStatus }, down });
      },
    });
  return [
    readiness('/api/health', 'health', 'Whether Postgres and Temporal answer (the same as /api/health/ready)'),
    route({
      method: 'get',
      path: '/api/health/live',
      operationId: 'healthLive',
      summary: 'Liveness: the process answers (asks no dependency)',
      tag: 'operations',
      access: 'public',
      responses: { 200: { description: 'alive', schema: liveSchema } },
      async handler({ res }) {
        res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
      },
    }),
    readiness('/api/health/ready', 'healthReady', 'Readiness: whether Postgres and Temporal answer, naming the one that does not'),
  ];
}
