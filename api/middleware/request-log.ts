/** One log line per request: method, path (never the query, which may carry tokens), status, time, who. */
import type { RequestHandler } from 'express';
import type { Logger } from '../../logger';

export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const ms = Math.round(performance.now() - started);
      const line = { method: req.method, path: req.path, status: res.statusCode, ms, user: req.principal?.username };
      if (res.statusCode >= 500) log.error(line, 'request failed');
      else log.debug(line, 'request');
    });
    next();
  };
}
