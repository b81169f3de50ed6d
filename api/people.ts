/**
 * Answers name people by login name (who did what: actors, filers, requesters, assignees); each
 * answer that does also carries `people`, the display name of every one of them, and each
 * timeline event its actor's `actorName`, so that readers show 王建国, not "jiangbei-inspector".
 */
import { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { Database } from '../db/client';
import { reachedByStep, reachedBySubject, type Reached, type ReachedStep } from '../db/deliveries';
import { displayNamesOf } from '../db/people';

/** The members that hold a login name, wherever they are in an answer. */
const PERSON_KEYS = new Set(['actor', 'by', 'urgedBy', 'createdBy', 'issuedBy', 'requestedBy', 'uploadedBy', 'decidedBy', 'signedBy', 'assembledBy', 'supervisor', 'enterpriseContact', 'delegate', 'from', 'to']);
/** Bounds the walk: answers are records, not deep documents. */
const MAX_DEPTH = 6;

function collect(value: unknown, into: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH || !value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, into, depth + 1);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (PERSON_KEYS.has(key) && typeof v === 'string' && v.length <= 100) into.add(v);
    else collect(v, into, depth + 1);
  }
}

/** The display names of the people an answer names, by login name. */
export function peopleIn(db: Database, answer: unknown): Promise<Record<string, string>> {
  const names = new Set<string>();
  collect(answer, names, 0);
  return displayNamesOf(db, names);
}

interface Named {
  actor: string;
}

/** A timeline's events, each with its actor's display name (null: the system). */
type NamedTimeline<T> = T extends { timeline: Array<infer E> } ? { timeline: Array<E & { actorName: string | null }> } : unknown;

/** The answer with `people` beside it, and each timeline event's actor named. */
export async function withPeople<T extends { timeline?: Named[] }>(db: Database, answer: T): Promise<T & NamedTimeline<T> & { people: Record<string, string> }> {
  const people = await peopleIn(db, answer);
  const timeline = answer.timeline?.map((e) => ({ ...e, actorName: people[e.actor] ?? (e.actor === 'system' ? null : e.actor) }));
  return { ...answer, ...(timeline ? { timeline } : {}), people } as T & NamedTimeline<T> & { people: Record<string, string> };
}

/** A case's timeline entry as an answer carries it, named by withPeople (notices, suspensions). */
export const namedTimelineEntrySchema = z.strictObject({
  step: z.string(),
  type: z.string(),
  actor: z.string(),
  actorName: z.string().nullable().describe('the actor’s display name (null: the system)'),
  occurredAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});

/**
 * Whom each step of a case (reminder, escalation, instrument, decision) reached when it fired, by
 * step key, for readers inside the bureau. Whom a step reached is the bureau's to know: an
 * enterprise is told what is addressed to it, not who inside was.
 */
export async function reachedFor(
  db: Database,
  principal: Principal,
  subjectType: 'hazard' | 'notice' | 'suspension',
  subjectId: string,
  /** The steps as already read with the case's record (a hazard's), when they were. */
  read?: ReachedStep[] | null,
): Promise<{ reached?: Record<string, Reached> }> {
  if (principal.role === 'enterprise') return {};
  return { reached: Object.fromEntries(read ? reachedByStep(read) : await reachedBySubject(db, subjectType, subjectId)) };
}

/** `reached` as a case's answer carries it (absent for enterprises). */
export const reachedSchema = z
  .record(z.string(), z.strictObject({ post: z.string().nullable(), names: z.array(z.string()), unresolved: z.boolean() }))
  .optional()
  .describe('whom each step reached when it fired, by step key: the post looked for and its holders by display name, or nobody (not shown to enterprises)');
