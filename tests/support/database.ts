/** A database of its own for each test file, cloned from the migrated template. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../db/client';
import { createDatabase, databaseUrl, dropDatabase } from '../../scripts/toolchain/postgres';

export interface TestDatabase extends DatabaseHandle {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = inject('pgAdminUrl');
  const name = `duban_test_${randomBytes(6).toString('hex')}`;
  await createDatabase(admin, name, { template: inject('templateDatabase') });
  const url = databaseUrl(admin, name);
  const handle = connectDatabase(url, 5);
  return {
    ...handle,
    url,
    async drop() {
      await handle.close();
      await dropDatabase(admin, name);
    },
  };
}
