/**
 * Bulk writes for the city seed: rows shaped as drizzle shapes them (field names of db/schema),
 * sent thousands at a time by COPY (or, where a row may be there already, one INSERT … SELECT FROM
 * unnest(arrays) … ON CONFLICT DO NOTHING), and the audit rows those
 * writes need, chained and signed by the project's own functions (db/hazard-events.ts,
 * db/admin-audit.ts, domain/audit-chain.ts) exactly as a workflow's or an admin's append does.
 */
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ADMIN_CHAIN, adminEventContent, type AdminChange } from '../db/admin-audit';
import { auditKey } from '../db/audit-key';
import { hazardChain, hazardEventContent } from '../db/hazard-events';
import { GENESIS_HASH, headMac, KEYED, linkMac } from '../domain/audit-chain';
import type { HazardRecord } from '../domain/hazard-events';

type Row = Record<string, unknown>;

/** An INSERT of `rows` (all with the same fields) as one SELECT FROM unnest(arrays), its parameters numbered from `offset` + 1. */
export function unnestInsert(table: Table, rows: Row[], offset = 0, conflict = 'on conflict do nothing'): { sql: string; params: unknown[][] } {
  const columns = getTableColumns(table);
  const fields = Object.keys(rows[0] ?? {});
  const names: string[] = [];
  const casts: string[] = [];
  const params: unknown[][] = [];
  for (const field of fields) {
    const column = columns[field];
    if (!column) throw new Error(`${getTableName(table)} has no field ${field}`);
    const json = column.getSQLType() === 'jsonb';
    names.push(`"${column.name}"`);
    casts.push(`$${offset + names.length}::${column.getSQLType()}[]`);
    params.push(rows.map((row) => encode(row[field], json)));
  }
  return { sql: `insert into "${getTableName(table)}" (${names.join(', ')}) select * from unnest(${casts.join(', ')}) ${conflict}`, params };
}

/** Inserts `rows` in one statement; returns the values of `returning` for the rows inserted. */
export async function insertRows(client: pg.ClientBase, table: Table, rows: Row[], opts: { conflict?: string; returning?: string } = {}): Promise<string[]> {
  if (!rows.length) return [];
  const { sql, params } = unnestInsert(table, rows, 0, opts.conflict);
  const result = await client.query(`${sql}${opts.returning ? ` returning "${opts.returning}"` : ''}`, params);
  return opts.returning ? result.rows.map((r: Row) => String(r[opts.returning!])) : [];
}

/**
 * Streams `rows` into `table` with COPY (text format): about twice as fast as the unnest INSERT
 * here, measured on this seed's rows; no ON CONFLICT, so only for rows known to be new.
 */
export async function copyRows(client: pg.ClientBase, table: Table, rows: Row[]): Promise<void> {
  if (!rows.length) return;
  const columns = getTableColumns(table);
  const fields = Object.keys(rows[0]!);
  const json = fields.map((f) => columns[f]!.getSQLType() === 'jsonb');
  const names = fields.map((f) => `"${columns[f]!.name}"`).join(', ');
  let text = '';
  for (const row of rows) text += `${fields.map((f, i) => copyValue(row[f], json[i]!)).join('\t')}\n`;
  const stream = client.query(copyFrom(`copy "${getTableName(table)}" (${names}) from stdin`));
  await pipeline(Readable.from([text]), stream);
}

/** A value in COPY's text format: \N for null, backslash, tab and line breaks escaped. */
function copyValue(value: unknown, json: boolean): string {
  const v = encode(value, json);
  if (v === null) return '\\N';
  return String(v).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function encode(value: unknown, json: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (json) return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** The rows one hazard's records leave: its chain of events, the chain's signed head, its notifications. */
export function hazardAuditRows(hazardId: string, records: HazardRecord[]): { events: Row[]; head: Row; notifications: Row[] } {
  const key = auditKey();
  const events: Row[] = [];
  const notifications: Row[] = [];
  let prevHash = GENESIS_HASH;
  records.forEach((rec, i) => {
    const event = { hazardId, stepKey: rec.key, type: rec.event.type, actor: rec.event.actor, occurredAt: new Date(rec.event.occurredAt), data: rec.event.data, chainSeq: i + 1 };
    const hash = linkMac(key, prevHash, hazardEventContent(event));
    events.push({ ...event, recordedAt: event.occurredAt, prevHash, hash, hashVersion: KEYED });
    prevHash = hash;
    const n = rec.notification;
    if (n) {
      notifications.push({
        hazardId,
        stepKey: rec.key,
        kind: n.kind,
        recipientRole: n.recipientRole,
        level: n.level,
        message: n.message,
        scheduledAt: new Date(n.scheduledAt),
        createdAt: event.occurredAt,
      });
    }
  });
  const chain = hazardChain(hazardId);
  const updatedAt = new Date(records.at(-1)!.event.occurredAt);
  return { events, head: { chain, seq: records.length, hash: prevHash, mac: headMac(key, chain, records.length, prevHash), updatedAt }, notifications };
}

/**
 * Appends `changes` to the administrative chain after its current last row (`last`, or the
 * genesis): the rows and the head to write, in the transaction that holds the chain's lock.
 */
export function adminAuditRows(last: { chainSeq: number; hash: string } | null, changes: Array<AdminChange & { occurredAt: Date }>): { events: Row[]; head: Row | null } {
  const key = auditKey();
  let seq = last?.chainSeq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const events: Row[] = [];
  for (const change of changes) {
    seq++;
    const event = { ...change, chainSeq: seq };
    const hash = linkMac(key, prevHash, adminEventContent(event));
    events.push({ ...event, prevHash, hash, hashVersion: KEYED });
    prevHash = hash;
  }
  const head = events.length ? { chain: ADMIN_CHAIN, seq, hash: prevHash, mac: headMac(key, ADMIN_CHAIN, seq, prevHash), updatedAt: new Date() } : null;
  return { events, head };
}
