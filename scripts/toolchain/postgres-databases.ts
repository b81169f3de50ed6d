import pg from 'pg';

/** `url` with its database name replaced: one cluster, one database per test file. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export interface CreateDatabaseOptions {
  /** Clone this database (e.g. one already migrated) instead of template1. */
  template?: string;
}

/**
 * CREATE DATABASE through `adminUrl` (a role allowed to create databases, connected
 * to a database other than `name`). Retries briefly while the template is still in
 * use: a connection closed a moment ago may not have left the server yet.
 */
export async function createDatabase(adminUrl: string, name: string, opts: CreateDatabaseOptions = {}): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const sql = `CREATE DATABASE ${client.escapeIdentifier(name)}${opts.template ? ` TEMPLATE ${client.escapeIdentifier(opts.template)}` : ''}`;
    const deadline = Date.now() + 5_000;
    for (;;) {
      try {
        await client.query(sql);
        return;
      } catch (err) {
        const objectInUse = (err as { code?: string }).code === '55006';
        if (!objectInUse || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
}

/** DROP DATABASE IF EXISTS … WITH (FORCE): leftover pool connections must not block teardown. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withClient(adminUrl, async (client) => {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return (result.rowCount ?? 0) > 0;
  });
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A server going away while the client is held fails its query; unheard, it would end the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
