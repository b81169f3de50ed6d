/** The Express application, without listening: tests and the server process both build it here. */
import express from 'express';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import type { HazardGateway } from '../temporal/hazard-gateway';
import { identifyActor } from './middleware/actor';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { enterpriseRoutes } from './routes/enterprises';
import { hazardRoutes } from './routes/hazards';
import { healthRoutes } from './routes/health';

export interface AppDeps {
  db: Database;
  temporal: Client;
  hazards: HazardGateway;
  log: Logger;
  /** Milliseconds since the epoch; injectable so "today" is testable. */
  clock: () => number;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '100kb', strict: true }));
  app.use(identifyActor);
  app.use('/api/health', healthRoutes(deps));
  app.use('/api/enterprises', enterpriseRoutes(deps));
  app.use('/api/hazards', hazardRoutes(deps));
  app.use('/api', notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
