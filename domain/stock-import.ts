/**
 * The rules of bringing a bureau's stock of hazards (存量隐患) in from a spreadsheet: the template's
 * columns, how a cell's text is read (dates, grades, statuses), and what is wrong with a row —
 * first on its own, then against what the database knows (enterprises, supervisors, categories,
 * what was imported or registered before). Each problem names its column and a stable code, so the
 * report can put it beside the cell.
 */
import { createHash } from 'node:crypto';
import { addDays, isIsoDate, type IsoDate } from './shanghai-time';
import { MAX_OFFSET_DAYS } from './policy-rules';
import type { HazardGrade } from './policy';
import { creditCodeProblem } from './credit-code';

export const STOCK_COLUMNS = [
  { key: 'creditCode', header: '统一社会信用代码', width: 22 },
  { key: 'enterpriseName', header: '企业名称', width: 28 },
  { key: 'title', header: '隐患名称', width: 36 },
  { key: 'category', header: '隐患类别', width: 14 },
  { key: 'grade', header: '隐患等级', width: 10 },
  { key: 'listingLevel', header: '挂牌督办级别', width: 12 },
  { key: 'foundOn', header: '发现日期', width: 12 },
  { key: 'deadline', header: '整改期限', width: 12 },
  { key: 'status', header: '状态', width: 10 },
  { key: 'closedOn', header: '销号日期', width: 12 },
  { key: 'supervisor', header: '责任监管人员', width: 16 },
] as const;
export type StockColumn = (typeof STOCK_COLUMNS)[number]['key'];
export type StockCells = Partial<Record<StockColumn, string>>;

/** Without these columns a file cannot be read at all (enterprise: by code or by name, either column). */
const REQUIRED_HEADERS: StockColumn[] = ['title', 'category', 'grade', 'foundOn', 'deadline', 'status', 'supervisor'];

/** Categories a bureau's ledgers use; a database adds those already on its hazards. */
export const STANDARD_CATEGORIES = [
  '消防安全', '电气安全', '危险化学品', '特种设备', '粉尘防爆', '有限空间', '机械设备', '安全管理',
  '职业卫生', '建筑施工', '交通运输', '燃气安全', '高处作业', '应急管理', '其他',
] as const;

export const STOCK_PROBLEM_CODES = [
  'required', 'too-long', 'bad-credit-code', 'unknown-enterprise', 'enterprise-ambiguous', 'enterprise-out-of-reach',
  'bad-date', 'found-in-future', 'deadline-before-found', 'deadline-too-far', 'unknown-grade', 'unknown-status', 'unknown-category',
  'unknown-listing-level', 'listing-level-required', 'listing-level-general', 'closed-without-date', 'closed-before-found',
  'closed-in-future', 'closing-date-on-open', 'unknown-supervisor', 'supervisor-ambiguous',
  'duplicate-in-file', 'already-imported', 'duplicate-existing',
] as const;
export type StockProblemCode = (typeof STOCK_PROBLEM_CODES)[number];
export interface StockProblem {
  column: StockColumn;
  code: StockProblemCode;
  detail?: string;
}
/** Codes that only say the row would add nothing: the row is a duplicate, not an error. */
const DUPLICATE_CODES: ReadonlySet<StockProblemCode> = new Set(['duplicate-in-file', 'already-imported', 'duplicate-existing']);

export type ListingLevel = 'province' | 'city' | 'county' | 'township';

/** A row's values as read, before the database is asked about them. */
export interface StockDraft {
  creditCode: string | null;
  enterpriseName: string | null;
  title: string;
  category: string;
  grade: HazardGrade | null;
  listingLevel: ListingLevel | null;
  foundOn: IsoDate | null;
  deadline: IsoDate | null;
  closed: boolean | null;
  closedOn: IsoDate | null;
  supervisor: string;
}

/** Which column of the file holds which field, from its header row; null with the missing headers. */
export function mapHeaders(headers: readonly string[]): { columns: Map<number, StockColumn> } | { missing: string[] } {
  const columns = new Map<number, StockColumn>();
  headers.forEach((h, i) => {
    const text = foldText(h ?? '').replace(/\*/g, '');
    const col = STOCK_COLUMNS.find((c) => c.header === text || c.key.toLowerCase() === text.toLowerCase());
    if (col && ![...columns.values()].includes(col.key)) columns.set(i, col.key);
  });
  const have = new Set(columns.values());
  const missing: string[] = REQUIRED_HEADERS.filter((k) => !have.has(k)).map(headerOf);
  if (!have.has('creditCode') && !have.has('enterpriseName')) missing.unshift(`${headerOf('creditCode')}/${headerOf('enterpriseName')}`);
  return missing.length ? { missing } : { columns };
}

export const headerOf = (key: StockColumn): string => STOCK_COLUMNS.find((c) => c.key === key)!.header;

/** Spaces collapsed: a title keeps its own punctuation (full-width or not). */
export function normalizeText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Full-width forms folded too, for what is read rather than kept: codes, dates, choices, headers. */
export const foldText = (text: string) => normalizeText(text.normalize('NFKC'));

/** A date as people write it in a ledger: 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日. */
export function parseSheetDate(text: string): IsoDate | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(foldText(text));
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

const GRADES: Record<string, HazardGrade> = { 一般: 'general', 一般隐患: 'general', 一般事故隐患: 'general', general: 'general', 重大: 'major', 重大隐患: 'major', 重大事故隐患: 'major', major: 'major' };
const STATUSES: Record<string, boolean> = { 未销号: false, 整改中: false, 未整改: false, open: false, 已销号: true, 已整改: true, 销号: true, closed: true };
const LEVELS: Record<string, ListingLevel> = { 省级: 'province', 省: 'province', province: 'province', 市级: 'city', 市: 'city', city: 'city', 县级: 'county', 区县级: 'county', 区县: 'county', county: 'county', 乡镇级: 'township', 乡镇: 'township', township: 'township' };

const LIMITS: Partial<Record<StockColumn, number>> = { title: 200, category: 100, enterpriseName: 200, supervisor: 100 };

/** Reads one row on its own: what each cell says, and what is wrong with it without asking anyone. */
export function readStockRow(cells: StockCells, today: IsoDate): { draft: StockDraft; problems: StockProblem[] } {
  const problems: StockProblem[] = [];
  const FOLDED: StockColumn[] = ['creditCode', 'grade', 'listingLevel', 'foundOn', 'deadline', 'status', 'closedOn'];
  const cell = (k: StockColumn) => (FOLDED.includes(k) ? foldText(cells[k] ?? '') : normalizeText(cells[k] ?? ''));
  for (const [k, max] of Object.entries(LIMITS) as Array<[StockColumn, number]>) {
    if (cell(k).length > max) problems.push({ column: k, code: 'too-long', detail: String(max) });
  }
  const creditCode = cell('creditCode').toUpperCase() || null;
  const enterpriseName = cell('enterpriseName') || null;
  if (!creditCode && !enterpriseName) problems.push({ column: 'creditCode', code: 'required' });
  for (const k of ['title', 'category', 'grade', 'foundOn', 'deadline', 'status', 'supervisor'] as const) {
    if (!cell(k)) problems.push({ column: k, code: 'required' });
  }
  const date = (k: 'foundOn' | 'deadline' | 'closedOn') => {
    if (!cell(k)) return null;
    const d = parseSheetDate(cell(k));
    if (!d) problems.push({ column: k, code: 'bad-date' });
    return d;
  };
  const foundOn = date('foundOn');
  const deadline = date('deadline');
  const closedOn = date('closedOn');
  const grade = cell('grade') ? (GRADES[cell('grade').toLowerCase()] ?? null) : null;
  if (cell('grade') && !grade) problems.push({ column: 'grade', code: 'unknown-grade' });
  const closed = cell('status') ? (STATUSES[cell('status').toLowerCase()] ?? null) : null;
  if (cell('status') && closed === null) problems.push({ column: 'status', code: 'unknown-status' });
  const listingLevel = cell('listingLevel') ? (LEVELS[cell('listingLevel').toLowerCase()] ?? null) : null;
  if (cell('listingLevel') && !listingLevel) problems.push({ column: 'listingLevel', code: 'unknown-listing-level' });
  if (grade === 'major' && !cell('listingLevel')) problems.push({ column: 'listingLevel', code: 'listing-level-required' });
  if (grade === 'general' && cell('listingLevel')) problems.push({ column: 'listingLevel', code: 'listing-level-general' });
  if (foundOn && foundOn > today) problems.push({ column: 'foundOn', code: 'found-in-future' });
  if (foundOn && deadline && deadline < foundOn) problems.push({ column: 'deadline', code: 'deadline-before-found' });
  // An open hazard's deadline is no further ahead than any deadline set in the system (a ledger's
  // 9999-12-31 for "no deadline" would have its workflow count steps past the last date there is).
  if (closed !== true && deadline && deadline > addDays(today, MAX_OFFSET_DAYS)) problems.push({ column: 'deadline', code: 'deadline-too-far', detail: String(MAX_OFFSET_DAYS) });
  if (closed === true && !cell('closedOn')) problems.push({ column: 'closedOn', code: 'closed-without-date' });
  if (closed === false && cell('closedOn')) problems.push({ column: 'closedOn', code: 'closing-date-on-open' });
  if (closed && closedOn && foundOn && closedOn < foundOn) problems.push({ column: 'closedOn', code: 'closed-before-found' });
  if (closed && closedOn && closedOn > today) problems.push({ column: 'closedOn', code: 'closed-in-future' });
  return {
    draft: { creditCode, enterpriseName, title: cell('title'), category: cell('category'), grade, listingLevel, foundOn, deadline, closed, closedOn, supervisor: cell('supervisor') },
    problems,
  };
}

export interface KnownEnterprise {
  id: string;
  name: string;
  creditCode: string | null;
  regionPath: string;
}
export interface KnownSupervisor {
  username: string;
  displayName: string;
  regionPath: string;
}

/** What the database answered about a page of rows, keyed as the rows name things. */
export interface StockLookups {
  enterprisesByCode: ReadonlyMap<string, KnownEnterprise>;
  /** Every enterprise of each name (several: the name is ambiguous). */
  enterprisesByName: ReadonlyMap<string, KnownEnterprise[]>;
  /** Supervisors by user name, and every supervisor of each display name. */
  supervisorsByLogin: ReadonlyMap<string, KnownSupervisor>;
  supervisorsByName: ReadonlyMap<string, KnownSupervisor[]>;
  categories: ReadonlySet<string>;
}

/** The enterprise a row names: by its credit code when given (it is unique), else by its name. */
export function resolveEnterprise(draft: StockDraft, known: StockLookups, reach: string): { enterprise: KnownEnterprise | null; problems: StockProblem[] } {
  let found: KnownEnterprise | undefined;
  if (draft.creditCode) {
    found = known.enterprisesByCode.get(draft.creditCode);
    // A code on record is the enterprise's, whatever its check character; an unknown one is judged first.
    const bad = found ? null : creditCodeProblem(draft.creditCode);
    if (bad) return { enterprise: null, problems: [{ column: 'creditCode', code: 'bad-credit-code', detail: bad }] };
    if (!found) return { enterprise: null, problems: [{ column: 'creditCode', code: 'unknown-enterprise' }] };
  } else if (draft.enterpriseName) {
    const all = known.enterprisesByName.get(draft.enterpriseName) ?? [];
    const inReach = all.filter((e) => e.regionPath.startsWith(reach));
    if (!all.length) return { enterprise: null, problems: [{ column: 'enterpriseName', code: 'unknown-enterprise' }] };
    if (inReach.length > 1 || (!inReach.length && all.length > 1)) return { enterprise: null, problems: [{ column: 'enterpriseName', code: 'enterprise-ambiguous' }] };
    found = inReach[0] ?? all[0]!;
  } else return { enterprise: null, problems: [] };
  const column: StockColumn = draft.creditCode ? 'creditCode' : 'enterpriseName';
  if (!found.regionPath.startsWith(reach)) return { enterprise: null, problems: [{ column, code: 'enterprise-out-of-reach' }] };
  return { enterprise: found, problems: [] };
}

/** The responsible supervisor a row names, by user name or display name, over the enterprise's region. */
export function resolveSupervisor(draft: StockDraft, known: StockLookups, enterprise: KnownEnterprise | null, reach: string): { supervisor: KnownSupervisor | null; problems: StockProblem[] } {
  if (!draft.supervisor) return { supervisor: null, problems: [] };
  const covers = (s: KnownSupervisor) => (enterprise ? enterprise.regionPath.startsWith(s.regionPath) : true) && (s.regionPath.startsWith(reach) || reach.startsWith(s.regionPath));
  const byLogin = known.supervisorsByLogin.get(draft.supervisor);
  const candidates = (byLogin ? [byLogin] : (known.supervisorsByName.get(draft.supervisor) ?? [])).filter(covers);
  if (!candidates.length) return { supervisor: null, problems: [{ column: 'supervisor', code: 'unknown-supervisor' }] };
  if (candidates.length > 1) return { supervisor: null, problems: [{ column: 'supervisor', code: 'supervisor-ambiguous' }] };
  return { supervisor: candidates[0]!, problems: [] };
}

/** The same hazard, however often a ledger lists it: its enterprise, its title and the day it was found. */
export function stockNaturalKey(enterpriseId: string, title: string, foundOn: IsoDate): string {
  return createHash('sha256').update(`${enterpriseId}\n${normalizeText(title)}\n${foundOn}`).digest('hex');
}

export type StockVerdict = 'valid' | 'duplicate' | 'invalid';
export function verdictOf(problems: readonly StockProblem[]): StockVerdict {
  if (!problems.length) return 'valid';
  return problems.every((p) => DUPLICATE_CODES.has(p.code)) ? 'duplicate' : 'invalid';
}

/** What a valid row imports as. */
export interface StockHazard {
  enterpriseId: string;
  title: string;
  category: string;
  grade: HazardGrade;
  listingLevel: ListingLevel | null;
  foundOn: IsoDate;
  deadline: IsoDate;
  closedOn: IsoDate | null;
  supervisor: string;
}

/**
 * The whole verdict on one row: its own problems, then the enterprise, the supervisor and the
 * category as the database knows them. The natural key is there once the enterprise is known.
 */
export function judgeStockRow(
  cells: StockCells,
  ctx: { today: IsoDate; reach: string; known: StockLookups },
): { problems: StockProblem[]; naturalKey: string | null; hazard: StockHazard | null } {
  const { draft, problems } = readStockRow(cells, ctx.today);
  const { enterprise, problems: ep } = resolveEnterprise(draft, ctx.known, ctx.reach);
  const { supervisor, problems: sp } = resolveSupervisor(draft, ctx.known, enterprise, ctx.reach);
  problems.push(...ep, ...sp);
  if (draft.category && !ctx.known.categories.has(draft.category)) problems.push({ column: 'category', code: 'unknown-category' });
  const naturalKey = enterprise && draft.title && draft.foundOn ? stockNaturalKey(enterprise.id, draft.title, draft.foundOn) : null;
  const complete = enterprise && supervisor && draft.grade && draft.foundOn && draft.deadline && draft.closed !== null && !problems.length;
  const hazard: StockHazard | null = complete
    ? { enterpriseId: enterprise.id, title: draft.title, category: draft.category, grade: draft.grade!, listingLevel: draft.listingLevel, foundOn: draft.foundOn!, deadline: draft.deadline!, closedOn: draft.closed ? draft.closedOn : null, supervisor: supervisor.username }
    : null;
  return { problems, naturalKey, hazard };
}
