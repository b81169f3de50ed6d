/** Applies the committed migrations (db/migrations) to a database; safe to run on every start. */
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { sealLegacyChains } from './audit-legacy';
import { useAuditKey } from './audit-key';
import { loadShippedCalendars } from './calendar';
import { revokeKeysActingForOthers } from './directory';
import { loadDefaultPolicies } from './policies';
import { connectDatabase } from './client';
import { rebuildFiguresIfNeverBuilt } from './figures/fold';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Applies the schema migrations, signs the heads of audit chains from before the audit key
 * (once), then loads reference data shipped with the code (calendars, default policies) and
 * revokes keys left from before keys belonged to people; builds the leaders' figures from the
 * hazards the first time there are figures to keep. Needs the process's audit key
 * (db/audit-key.ts).
 */
export async function migrateDatabase(url: string): Promise<void> {
  const handle = connectDatabase(url, 1);
  try {
    await migrate(handle.db, { migrationsFolder: MIGRATIONS_DIR });
    await sealLegacyChains(handle.db);
    await loadShippedCalendars(handle.db);
    await loadDefaultPolicies(handle.db);
    await revokeKeysActingForOthers(handle.db);
    await rebuildFiguresIfNeverBuilt(handle.db);
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { parseConfig, requireSetting } = await import('../config');
  const config = parseConfig();
  useAuditKey(requireSetting(config, 'AUDIT_HMAC_KEY'));
  await migrateDatabase(requireSetting(config, 'DATABASE_URL'));
  console.log('migrations applied');
}
