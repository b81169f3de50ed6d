/**
 * Bulk writes for the city seed: rows shaped as drizzle shapes them (field names of db/schema),
 * sent thousands at a time as one INSERT … SELECT FROM unnest(arrays), and the audit rows those
 * writes need, chained and signed by the project's own functions (db/hazard-events.ts,
 * db/admin-audit.ts, domain/audit-chain.ts) exactly as a workflow's or an admin's append does.
 */
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import type pg from 'pg';
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
 * Inserts into several tables in one statement (data-modifying WITH clauses): atomic without a
 * transaction around it, and one round trip, so the server works on it while the next is made.
 */
export function insertTogether(client: pg.ClientBase, parts: Array<{ table: Table; rows: Row[] }>): Promise<unknown> {
  const clauses: string[] = [];
  const params: unknown[][] = [];
  parts.filter((p) => p.rows.length).forEach((p, i) => {
    const insert = unnestInsert(p.table, p.rows, params.length);
    clauses.push(`w${i} as (${insert.sql} returning 1)`);
    params.push(...insert.params);
  });
  return client.query(`with ${clauses.join(', ')} select ${clauses.map((_, i) => `(select count(*) from w${i})`).join(' + ')} as n`, params);
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
