/** A database of its own for each test file, cloned from the migrated template. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connectDatabase, type Database, type DatabaseHandle } from '../../db/client';
import { createDatabase, databaseUrl, dropDatabase } from '../../scripts/toolchain/postgres';

export const APP_ROLE = 'duban_app';

export interface TestDatabase extends DatabaseHandle {
  url: string;
  /** The same database as the application sees it: its service login, acting as the app role. */
  app: Database;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = inject('pgAdminUrl');
  const name = `duban_test_${randomBytes(6).toString('hex')}`;
  await createDatabase(admin, name, { template: inject('templateDatabase') });
  const url = databaseUrl(admin, name);
  const owner = connectDatabase(url, 5);
  const service = new URL(url);
  service.username = inject('serviceLogin').user;
  service.password = inject('serviceLogin').password;
  const app = connectDatabase(service.toString(), 5, APP_ROLE);
  return {
    ...owner,
    url,
    app: app.db,
    async drop() {
      await Promise.all([owner.close(), app.close()]);
      await dropDatabase(admin, name);
    },
  };
}
