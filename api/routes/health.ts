/** Liveness of the things the API depends on: Postgres and the Temporal frontend. */
import { Router } from 'express';
import { sql } from 'drizzle-orm';
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

export function healthRoutes({ db, temporal }: AppDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const [postgres, temporalStatus] = await Promise.all([
      probe(() => db.execute(sql`select 1`)),
      probe(() => temporal.workflowService.getSystemInfo({})),
    ]);
    const ok = postgres === 'ok' && temporalStatus === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks: { postgres, temporal: temporalStatus } });
  });
  return router;
}
