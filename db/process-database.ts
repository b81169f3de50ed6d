/**
 * The database of a long-running process (the API, a worker), as configured: its pool size and
 * role, deadlines on getting a connection and on each statement, and the audit key its writes
 * sign with. A lost connection is logged and replaced, never the end of the process.
 */
import { requireSetting, type Config } from '../config';
import type { Logger } from '../logger';
import { useAuditKey } from './audit-key';
import { connectDatabase, type DatabaseHandle } from './client';

export function connectProcessDatabase(config: Config, log: Logger): DatabaseHandle {
  useAuditKey(requireSetting(config, 'AUDIT_HMAC_KEY'));
  return connectDatabase(requireSetting(config, 'DATABASE_URL'), config.DATABASE_POOL_SIZE, config.DATABASE_ROLE, {
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    onConnectionError: (error) => log.warn({ err: error }, 'database connection lost; it is replaced on next use'),
  });
}
