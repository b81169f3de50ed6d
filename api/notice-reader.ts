/**
 * Reading one notice for an answer: found within the caller's reach (else 404, exactly as if it
 * did not exist), and shown with its hazards, instruments, decisions, timeline and notifications
 * as the caller's role may see them.
 */
import type { Principal } from '../auth/principal';
import type { Database } from '../db/client';
import { findNotice, noticeDetailParts, type NoticeRow } from '../db/notice-queries';
import { suspensionsOfDecisions } from '../db/suspension-origins';
import { enterpriseNoticeParts } from '../domain/notice-disclosure';
import { noticeJsonFor, noticePartsJson } from './notice-json';
import { reachedFor, withPeople } from './people';
import { problems } from './problem';

export function noticeReader(db: Database, clock: () => number) {
  async function load(principal: Principal, id: string): Promise<NoticeRow> {
    const row = await findNotice(db, principal, id);
    if (!row) throw problems.notFound('notice');
    return row;
  }

  async function detail(row: NoticeRow, principal: Principal) {
    const all = await noticeDetailParts(db, row.id);
    const internal = principal.role !== 'enterprise';
    // An enterprise sees what is addressed to it; the bureau's deliberations stay inside.
    const parts = internal ? all : { ...all, ...enterpriseNoticeParts(all) };
    const carriedOut = await suspensionsOfDecisions(db, parts.decisions.filter((d) => d.kind === 'suspension' && d.status === 'taken').map((d) => d.id));
    return withPeople(db, {
      ...noticeJsonFor(principal, row, clock()),
      ...(internal ? { policy: row.policy as Record<string, unknown>, policyId: row.policyId } : {}),
      ...noticePartsJson(parts, carriedOut),
      ...(await reachedFor(db, principal, 'notice', row.id)),
    });
  }

  return { load, detail };
}
