/**
 * Requests by route pattern and status: the pattern (`/api/hazards/:id`), never the raw path,
 * so one series per route whatever the ids, and a scanner's junk paths fold into `unmatched`.
 */
import type { RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

/** The route a request matched, as declared; `unmatched` for the API's 404s, `static` for the pages. */
export function routeLabel(req: { route?: { path?: unknown }; baseUrl?: string; originalUrl: string }): string {
  const pattern = req.route?.path;
  if (typeof pattern === 'string') return `${req.baseUrl ?? ''}${pattern}`;
  return req.originalUrl.startsWith('/api') ? 'unmatched' : 'static';
}

export function httpMetrics(registry: Registry): RequestHandler {
  const requests = new Counter({
    name: 'duban_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'duban_http_request_duration_seconds',
    help: 'time to answer, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = routeLabel(req);
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe({ method: req.method, route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
