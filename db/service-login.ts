/**
 * The login the API and workers connect as: a member of the application role `duban_app` and
 * nothing else — not a superuser, not the owner — so it cannot `SET ROLE` its way around the
 * append-only audit grants. Created (or its password reset) by whoever runs migrations.
 */
import pg from 'pg';

const NAME = /^[a-z_][a-z0-9_]*$/;

export async function ensureServiceLogin(ownerUrl: string, login: string, password: string, appRole = 'duban_app'): Promise<string> {
  if (!NAME.test(login) || !NAME.test(appRole)) throw new Error('role names: lower-case letters, digits and _');
  const client = new pg.Client({ connectionString: ownerUrl });
  // A connection lost while held raises 'error' on the client: heard here, it fails the query
  // under way instead of ending the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_roles where rolname = $1', [login]);
    const secret = client.escapeLiteral(password);
    if (exists.rowCount) await client.query(`alter role ${login} with login nosuperuser nocreatedb nocreaterole password ${secret}`);
    else await client.query(`create role ${login} with login nosuperuser nocreatedb nocreaterole password ${secret}`);
    await client.query(`grant ${appRole} to ${login}`);
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = login;
  url.password = password;
  return url.toString();
}
