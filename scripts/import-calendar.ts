/**
 * `npm run calendar:import -- <file.json> [--by <user>]`: imports a year of the working-day
 * calendar (format: domain/calendars/cn-2026.json), validated; says whether it replaced a year,
 * and (with TEMPORAL_ADDRESS set) tells the open hazards holding provisional dates and says how
 * many deadlines moved — as `POST /api/calendars` does.
 */
import { Client, Connection } from '@temporalio/client';
import { HazardGateway } from '../temporal/hazard-gateway';
import { NoticeGateway } from '../temporal/notice-gateway';
import { publishCalendarYear } from '../temporal/calendar-publication';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { parseConfig, requireSetting } from '../config';
import { importCalendarYear } from '../db/calendar';
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
    const gateway = new HazardGateway(client, config.TEMPORAL_TASK_QUEUE);
    const result = await publishCalendarYear(database.db, gateway, values.by!, data, new NoticeGateway(client, config.TEMPORAL_TASK_QUEUE));
    console.log(`calendar ${result.year} ${result.replaced ? 'replaced' : 'imported'}`);
    console.log(`${result.hazardsConcerned} open hazards concerned (${result.told} told); ${result.deadlinesMoved} deadlines moved`);
    for (const m of result.moves) console.log(`  hazard ${m.hazardId}: ${m.from} → ${m.to}`);
    console.log(`${result.noticesConcerned ?? 0} open notices with provisional dates (${result.noticesTold ?? 0} told)`);
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
