/**
 * Browser libraries the pages load, served from their installed npm packages (no CDN: the
 * bureau's intranet reaches nothing else, and the pages' content policy allows only this origin).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from 'express';

const require = createRequire(import.meta.url);
const ECHARTS_MIN = join(dirname(require.resolve('echarts/package.json')), 'dist', 'echarts.min.js');

export function webVendorRouter(): Router {
  const router = Router();
  router.get('/vendor/echarts.min.js', (_req, res, next) => {
    // Revalidated like the pages (ETag): an upgrade of the package is seen at once.
    res.sendFile(ECHARTS_MIN, { headers: { 'Cache-Control': 'no-cache' } }, (err) => err && next(err));
  });
  return router;
}
