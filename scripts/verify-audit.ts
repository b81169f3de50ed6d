/** `npm run audit:verify`: checks every audit chain; exits 1 and names the first broken link. */
import { parseConfig, requireSetting } from '../config';
import { connectDatabase } from '../db/client';
import { verifyAll } from '../db/audit-verify';

const database = connectDatabase(requireSetting(parseConfig(), 'DATABASE_URL'), 2);
try {
  const report = await verifyAll(database.db);
  if (report.ok) {
    console.log(`audit intact: ${report.chainsChecked} chains, ${report.rowsChecked} rows`);
  } else {
    const b = report.firstBreak!;
    console.error(`audit BROKEN in chain ${b.chain} at row ${b.seq}: ${b.reason} (${report.rowsChecked} rows checked before it)`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
