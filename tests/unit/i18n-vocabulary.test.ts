/**
 * The pages name everything the server can say, in both languages: every value of every enum a
 * record or an answer carries (statuses, steps, event kinds, instruments, decisions,
 * notifications…) has a label under its prefix in web/i18n.js, and every problem code the API
 * can answer with has a text. The lists of event kinds are held to the code that writes them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIELD_CODES, PROBLEM_CODES, PROBLEM_SLUGS } from '../../api/problem';
import { HAZARD_SOURCES } from '../../api/schemas/hazard';
import { CASE_TYPES } from '../../db/schema/audit';
import { ROLES, USER_KINDS } from '../../db/schema/directory';
import { BREAK_REASONS } from '../../domain/audit-chain';
import { COHORTS } from '../../domain/campaign-burndown';
import {
  HAZARD_EVENT_TYPES,
  HAZARD_NOTIFICATION_KINDS,
  HAZARD_STEP_KINDS,
  NOTICE_EVENT_TYPES,
  NOTICE_INSTRUMENTS,
  NOTICE_NOTIFICATION_KINDS,
  NOTICE_STEP_KINDS,
  SUSPENSION_EVENT_TYPES,
  SUSPENSION_STEP_KINDS,
} from '../../domain/case-vocabulary';
import { REGION_LEVEL_NAMES } from '../../domain/escalation-recipients';
import { PERIOD_KINDS } from '../../domain/figures/periods';
import { ASSIGNMENT_ROLES, HAZARD_STATUSES, LISTING_LEVELS, VOID_KINDS } from '../../domain/hazard-state';
import { INSPECTION_RESULTS } from '../../domain/inspection-checklist';
import { ACCEPTANCE_PARTIES, DECISION_KINDS, INSTRUMENT_KINDS } from '../../domain/instruments';
import { DECISION_STATUSES, NOTICE_STATUSES } from '../../domain/notice-lifecycle';
import { DAY_UNITS, HAZARD_GRADES, RECIPIENT_ROLES } from '../../domain/policy-types';
import { POSTS } from '../../domain/posts';
import { REFUSAL_CODES } from '../../domain/refusal';
import { SUSPENSION_SCOPES, SUSPENSION_STATUSES } from '../../domain/suspension';
import { ALLOWED_TYPES } from '../../evidence/inspect';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
type Dictionary = Record<'zh' | 'en', Record<string, string>>;
let dictionary: Dictionary;

beforeAll(async () => {
  // The pages' own module, as the browser loads it (plain JavaScript, outside the compiler's view).
  const url = pathToFileURL(join(ROOT, 'web/i18n.js')).href;
  dictionary = ((await import(url)) as { DICTIONARY: Dictionary }).DICTIONARY;
});

/** Each enum the server can hand the pages, and the prefix its labels are kept under. */
const ENUMS: [string, readonly (string | number)[], string][] = [
  ['hazard statuses', HAZARD_STATUSES, 'status'],
  ['notice statuses', NOTICE_STATUSES, 'notices.status'],
  ['suspension statuses', SUSPENSION_STATUSES, 'suspension.status'],
  ['decision statuses', DECISION_STATUSES, 'notices.decisionStatus'],
  ['grades', HAZARD_GRADES, 'grade'],
  ['grades (long)', HAZARD_GRADES.map((g) => `${g}.long`), 'grade'],
  ['hazard sources', HAZARD_SOURCES, 'source'],
  ['recipient roles', RECIPIENT_ROLES, 'role'],
  ['user roles', ROLES, 'userRole'],
  ['user kinds', USER_KINDS, 'userKind'],
  ['day units', DAY_UNITS, 'unit'],
  ['listing levels', LISTING_LEVELS, 'listing'],
  ['void kinds', VOID_KINDS, 'void'],
  ['assignment roles', ASSIGNMENT_ROLES, 'assignmentRole'],
  ['acceptance parties', ACCEPTANCE_PARTIES, 'party'],
  ['instruments', INSTRUMENT_KINDS, 'notices.instrument'],
  ['notice instruments', NOTICE_INSTRUMENTS, 'notices.instrument'],
  ['decision kinds', DECISION_KINDS, 'notices.decision'],
  ['inspection results', INSPECTION_RESULTS, 'inspection.result'],
  ['suspension scopes', SUSPENSION_SCOPES, 'suspension.scope'],
  ['region levels', REGION_LEVEL_NAMES, 'regionLevel'],
  ['figure periods', PERIOD_KINDS, 'dash.period'],
  ['campaign cohorts', COHORTS, 'campaign'],
  ['hazard events', HAZARD_EVENT_TYPES, 'event'],
  ['notice events', NOTICE_EVENT_TYPES, 'notices.event'],
  ['suspension events', SUSPENSION_EVENT_TYPES, 'suspension.event'],
  ['hazard steps', HAZARD_STEP_KINDS, 'next'],
  ['notice steps', NOTICE_STEP_KINDS, 'notices.next'],
  ['suspension steps', SUSPENSION_STEP_KINDS, 'suspension.next'],
  ['hazard notifications', HAZARD_NOTIFICATION_KINDS, 'notice.kind'],
  ['notice notifications', NOTICE_NOTIFICATION_KINDS, 'notices.notifKind'],
  ['evidence media types', Object.keys(ALLOWED_TYPES), 'media'],
  ['posts', POSTS, 'post'],
  ['audit break reasons', BREAK_REASONS, 'audit.reason'],
  ['audit chains', ['admin', 'hazard', ...CASE_TYPES], 'audit.chain'],
];

function missing(keys: string[]): string[] {
  return (['zh', 'en'] as const).flatMap((lang) => keys.filter((k) => !(typeof dictionary[lang][k] === 'string' && dictionary[lang][k]!.trim() !== '')).map((k) => `${lang}: ${k}`));
}

describe('labels of every enum, in both languages', () => {
  it.each(ENUMS)('%s', (_name, values, prefix) => {
    expect(missing(values.map((v) => `${prefix}.${v}`))).toEqual([]);
  });
});

/** The string literals given as `type:` of a recorded event in a domain module. */
function eventTypesWritten(file: string): string[] {
  const source = readFileSync(join(ROOT, 'domain', file), 'utf8');
  const literal = [...source.matchAll(/\btype: '([a-z_]+)'/g)].map((m) => m[1]!);
  // Events named by template: `decision_${status}`, `hazard_${outcome}`.
  const templated = [...source.matchAll(/\btype: `([a-z_]+)\$\{/g)].map((m) => m[1]!);
  return [...new Set([...literal, ...templated.map((p) => `${p}*`)])];
}

describe('the lists of event kinds cover what the domain writes', () => {
  const covers = (list: readonly string[], written: string[]) => written.filter((w) => (w.endsWith('*') ? !list.some((l) => l.startsWith(w.slice(0, -1))) : !list.includes(w)));
  it('hazard events', () => {
    const written = [...eventTypesWritten('hazard-changes.ts'), ...eventTypesWritten('hazard-events.ts'), 'urged'];
    expect(covers(HAZARD_EVENT_TYPES, written)).toEqual([]);
  });
  it('notice events', () => {
    expect(covers(NOTICE_EVENT_TYPES, eventTypesWritten('notice-changes.ts'))).toEqual([]);
  });
  it('suspension events', () => {
    expect(covers(SUSPENSION_EVENT_TYPES, eventTypesWritten('suspension-changes.ts'))).toEqual([]);
  });
  it('every domain module writing events is one of those read above', () => {
    const writers = readdirSync(join(ROOT, 'domain')).filter((f) => f.endsWith('.ts') && /\bevent: \{ (?:\.\.\.\w+, )?type: /.test(readFileSync(join(ROOT, 'domain', f), 'utf8')));
    expect(writers.filter((f) => !['hazard-changes.ts', 'hazard-events.ts', 'notice-changes.ts', 'suspension-changes.ts', 'notice-urge.ts'].includes(f))).toEqual([]);
  });
});

describe('a text for every problem the API can answer with', () => {
  it('every problem code, refusals included, in both languages', () => {
    expect(PROBLEM_CODES.length).toBeGreaterThan(PROBLEM_SLUGS.length + REFUSAL_CODES.length - 1);
    expect(missing(PROBLEM_CODES.map((c) => `problem.${c}`))).toEqual([]);
  });
  it('every field code', () => {
    expect(missing(FIELD_CODES.map((c) => `fieldProblem.${c}`))).toEqual([]);
  });
  it('a fallback per HTTP status', () => {
    expect(missing(['400', '401', '403', '404', '409', '413', '415', '422', '429', '503', '4xx', '5xx'].map((s) => `problem.status.${s}`))).toEqual([]);
  });
  it('every problem the routes raise by hand is of a listed kind', () => {
    const files = ['api', 'api/routes', 'api/middleware'].flatMap((dir) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts')).map((f) => join(ROOT, dir, f)));
    const slugs = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/new Problem\(\s*\d+,\s*'([a-z-]+)'/g)].map((m) => m[1]!));
    expect(slugs.length).toBeGreaterThan(5);
    expect(slugs.filter((s) => !(PROBLEM_SLUGS as readonly string[]).includes(s))).toEqual([]);
  });
});
