/** Enterprises under supervision (read-only here; managed by admins through the records issue). */
import { Router } from 'express';
import { z } from 'zod';
import { listEnterprises } from '../../db/hazard-queries';
import { parseInput } from '../validate';
import type { AppDeps } from '../app';

const query = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export function enterpriseRoutes({ db }: AppDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const q = parseInput(query, req.query, 'query');
    const rows = await listEnterprises(db, q.limit);
    res.json({ items: rows.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) });
  });
  return router;
}
