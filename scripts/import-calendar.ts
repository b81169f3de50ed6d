/**
 * `npm run calendar:import -- <file.json> [--by <user>]`: imports a year of the working-day
 * calendar (format: domain/calendars/cn-2026.json), validated; says whether it replaced a year.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { parseConfig, requireSetting } from '../config';
import { importCalendarYear } from '../db/calendar';
import { connectDatabase } from '../db/client';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { by: { type: 'string', default: 'cli' } } });
if (positionals.length !== 1) {
  console.error('usage: npm run calendar:import -- <file.json> [--by <user>]');
  process.exit(2);
}
const database = connectDatabase(requireSetting(parseConfig(), 'DATABASE_URL'), 1);
try {
  const data: unknown = JSON.parse(await readFile(positionals[0]!, 'utf8'));
  const result = await importCalendarYear(database.db, values.by!, data);
  console.log(`calendar ${result.year} ${result.replaced ? 'replaced' : 'imported'}`);
} catch (error) {
  if (error instanceof ZodError) {
    console.error(`calendar not imported:\n${error.issues.map((i) => `  ${i.path.join('.') || 'file'}: ${i.message}`).join('\n')}`);
  } else {
    console.error(`calendar not imported: ${(error as Error).message}`);
  }
  process.exitCode = 1;
} finally {
  await database.close();
}
