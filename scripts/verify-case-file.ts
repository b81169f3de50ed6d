/**
 * `npm run casefile:verify -- file.json`: checks a hazard's case file (its JSON twin) against the
 * database. Every audit entry in the file must be the database's own, link to the one before it
 * and hash to what it carries; the signature must cover the file as it is. Exits 0 with one line
 * saying it matches, or 1 naming each entry (and part) that does not.
 */
import { readFile } from 'node:fs/promises';
import { parseConfig, requireSetting } from '../config';
import { useAuditKey } from '../db/audit-key';
import { storedChain } from '../db/case-file';
import { connectDatabase } from '../db/client';
import { checkCaseFile, type CaseFile, type ChainEntry } from '../domain/case-file';

const path = process.argv.slice(2).find((a) => a !== '--');
if (!path) {
  console.error('usage: npm run casefile:verify -- case-file.json');
  process.exit(2);
}
let file: CaseFile;
try {
  file = JSON.parse(await readFile(path, 'utf8')) as CaseFile;
} catch (error) {
  console.error(`case file ${path} cannot be read as JSON: ${(error as Error).message}`);
  process.exit(2);
}
const config = parseConfig();
const key = requireSetting(config, 'AUDIT_HMAC_KEY');
useAuditKey(key);
const database = connectDatabase(requireSetting(config, 'DATABASE_URL'), 2);
try {
  const stored = new Map<string, ChainEntry[]>();
  for (const chain of Array.isArray(file.audit) ? file.audit : []) {
    const rows = await storedChain(database.db, chain.chain);
    if (rows) stored.set(chain.chain, rows);
  }
  const problems = checkCaseFile(key, file, stored);
  const entries = (file.audit ?? []).reduce((n, c) => n + (c.entries?.length ?? 0), 0);
  if (problems.length === 0) {
    console.log(`case file MATCHES the database: hazard ${file.hazard.id}, ${entries} audit entries in ${file.audit.length} chains, signature valid (as of ${file.asOf})`);
  } else {
    console.error(`case file DOES NOT MATCH the database: hazard ${file.hazard?.id ?? '?'}, ${problems.length} problem(s)`);
    for (const p of problems) console.error(`  ${p.where}: ${p.reason}`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
