/**
 * `npm run calendar:import -- <file.json> [--by <user>]`: imports a year of the working-day
 * calendar (format: domain/calendars/cn-2026.json), validated; says whether it replaced a year,
 * and (with TEMPORAL_ADDRESS set) publishes it as `POST /api/calendars` does: a publication
 * workflow tells the open hazards and notices holding provisional dates; this waits for it and
 * says how many were told and how many deadlines moved.
 */
import { Client, Connection } from '@temporalio/client';
import { CalendarPublisher } from '../temporal/calendar-publication';
import type { calendarPublicationWorkflow } from '../workflows/calendar-publication.workflow';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { parseConfig, requireSetting } from '../config';
import { importCalendarYear, yearCalendarSchema } from '../db/calendar';
import { useAuditKey } from '../db/audit-key';
import { connectDatabase } from '../db/client';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { by: { type: 'string', default: 'cli' } } });
if (positionals.length !== 1) {
  console.error('usage: npm run calendar:import -- <file.json> [--by <user>]');
  process.exit(2);
}
const config = parseConfig();
useAuditKey(requireSetting(config, 'AUDIT_HMAC_KEY'));
const database = connectDatabase(requireSetting(config, 'DATABASE_URL'), 1);
const connection = config.TEMPORAL_ADDRESS ? await Connection.connect({ address: config.TEMPORAL_ADDRESS }) : null;
try {
  const data: unknown = JSON.parse(await readFile(positionals[0]!, 'utf8'));
  if (connection) {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const started = await new CalendarPublisher(client, config.TEMPORAL_TASK_QUEUE).publish(values.by!, yearCalendarSchema.parse(data));
    console.log(`calendar ${started.year} ${started.replaced ? 'replaced' : 'imported'}; publication ${started.publicationId} tells ${started.concerned} open hazards and notices`);
    const counts = await client.workflow.getHandle<typeof calendarPublicationWorkflow>(started.publicationId).result();
    console.log(`${counts.hazardsTold} hazards and ${counts.noticesTold} notices told, ${counts.alreadyEnded} had ended, ${counts.failed} failed; ${counts.deadlinesMoved} deadlines moved`);
  } else {
    const result = await importCalendarYear(database.db, values.by!, data);
    console.log(`calendar ${result.year} ${result.replaced ? 'replaced' : 'imported'}`);
    console.log('TEMPORAL_ADDRESS is not set: running hazards were not told; import through POST /api/calendars or set it to recompute provisional dates');
  }
} catch (error) {
  if (error instanceof ZodError) {
    console.error(`calendar not imported:\n${error.issues.map((i) => `  ${i.path.join('.') || 'file'}: ${i.message}`).join('\n')}`);
  } else {
    console.error(`calendar not imported: ${(error as Error).message}`);
  }
  process.exitCode = 1;
} finally {
  await connection?.close();
  await database.close();
}
