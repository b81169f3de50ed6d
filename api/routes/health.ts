/** Liveness of the things the API depends on: Postgres and the Temporal frontend. */
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

const healthSchema = z.object({ status: z.enum(['ok', 'degraded']), checks: z.object({ postgres: z.string(), temporal: z.string() }) });

export function healthRoutes({ db, temporal }: AppDeps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/health',
      operationId: 'health',
      summary: 'Whether Postgres and Temporal answer',
      tag: 'operations',
      access: 'public',
      responses: { 200: { description: 'all well', schema: healthSchema }, 503: { description: 'a dependency is down', schema: healthSchema } },
      async handler({ res }) {
        const [postgres, temporalStatus] = await Promise.all([
          probe(() => db.execute(sql`select 1`)),
          // A deadline of its own, so the call is abandoned, not just no longer awaited.
          probe(() => temporal.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => temporal.workflowService.getSystemInfo({}))),
        ]);
        const ok = postgres === 'ok' && temporalStatus === 'ok';
        res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks: { postgres, temporal: temporalStatus } });
      },
    }),
  ];
}
