/**
 * `npm run audit:verify`: checks every audit chain against its signed head; exits 1 and names
 * the first break. When all holds it prints a checkpoint digest; `--checkpoint FILE` also
 * writes the heads it covers, to keep outside the database, and `--against FILE` checks that
 * the chains still extend such a file (which finds a rollback of rows and heads together).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseConfig, requireSetting } from '../config';
import { useAuditKey } from '../db/audit-key';
import { connectDatabase } from '../db/client';
import { checkAgainstCheckpoint, verifyAll, type VerificationReport } from '../db/audit-verify';
import { checkpointDigest } from '../domain/audit-chain';

const { values: args } = parseArgs({ options: { checkpoint: { type: 'string' }, against: { type: 'string' } } });
const config = parseConfig();
useAuditKey(requireSetting(config, 'AUDIT_HMAC_KEY'));
const database = connectDatabase(requireSetting(config, 'DATABASE_URL'), 2);
try {
  if (args.against) {
    const kept = JSON.parse(await readFile(args.against, 'utf8')) as NonNullable<VerificationReport['checkpoint']>;
    if (checkpointDigest(kept.heads) !== kept.digest) {
      console.error(`checkpoint ${args.against} does not match its own digest`);
      process.exit(1);
    }
    const lost = await checkAgainstCheckpoint(database.db, kept.heads);
    if (lost) {
      console.error(`audit ROLLED BACK in chain ${lost.chain}: row ${lost.seq} of checkpoint ${kept.digest} is gone or different`);
      process.exitCode = 1;
    }
  }
  const report = await verifyAll(database.db);
  if (report.ok) {
    const kinds = Object.entries(report.chains)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ');
    console.log(`audit intact: ${report.chainsChecked} chains (${kinds}), ${report.rowsChecked} rows`);
    console.log(`checkpoint ${report.checkpoint!.digest} (${report.checkpoint!.heads.length} heads): keep it outside the database`);
    if (args.checkpoint) await writeFile(args.checkpoint, `${JSON.stringify(report.checkpoint, null, 1)}\n`);
  } else {
    const b = report.firstBreak!;
    console.error(`audit BROKEN in chain ${b.chain} at row ${b.seq}: ${b.reason} (${report.rowsChecked} rows checked before it)`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
