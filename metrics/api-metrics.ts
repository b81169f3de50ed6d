/** The API process's metrics: its requests, the read model's figures and Node's own (event loop, memory). */
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Database } from '../db/client';
import { readModelMetrics } from './read-model-metrics';

export function apiRegistry(db: Database): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ process: 'api' });
  collectDefaultMetrics({ register: registry });
  readModelMetrics(registry, db);
  return registry;
}
