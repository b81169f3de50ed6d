/**
 * What goes on a printed instrument, as plain data: the parts GB/T 9704-2012 names (number line,
 * title, addressee, body, issuing agency and date, the 抄送/印发 footer), filled from a record.
 * The renderer (documents/pdf.ts) only lays these out; nothing here knows about PDF.
 */
import { shanghaiDate, type IsoDate } from '../shanghai-time';

/** A labelled line of the body (e.g. 整改期限：2026年12月16日). */
export interface Field {
  label: string;
  value: string;
}

export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'fields'; fields: Field[] }
  /** A small heading inside the body (一、…). */
  | { kind: 'heading'; text: string }
  | { kind: 'table'; columns: string[]; rows: string[][]; widths: number[] };

export interface PrintedDocument {
  /** The instrument's name, centred (e.g. 责令限期整改指令书). */
  title: string;
  /** The official number (江北应急〔2026〕12号), or null where the record has none. */
  number: string | null;
  /** 主送: whom it is addressed to, followed by a full-width colon on the page. */
  addressee: string | null;
  body: Block[];
  /** Bottom right: the agency and the date it was made (成文日期). */
  agency: string;
  dateText: string;
  /** 抄送 (copies to), when the instrument goes beyond its addressee. */
  copiesTo: string | null;
  /** 印发: who printed it and when (the record's own date, so a reprint is the same document). */
  printedBy: string;
  /** The instant the document's metadata carries as created and modified (from the record). */
  madeAt: number;
  /** Metadata subject: the record it was made from. */
  subject: string;
}

const CN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 2026-12-16 → 2026年12月16日 (GB/T 9704-2012 writes dates in Arabic numerals, no padding). */
export function chineseDate(date: IsoDate): string {
  const m = CN_DATE.exec(date);
  if (!m) return date;
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

/** The Shanghai date of an instant, in Chinese form. */
export function chineseDateOf(instant: number): string {
  return chineseDate(shanghaiDate(instant));
}

/** The Shanghai date and time of an instant: 2026年12月2日 14:05. */
export function chineseDateTimeOf(instant: number): string {
  const shifted = new Date(instant + 8 * 3600_000);
  const hh = String(shifted.getUTCHours()).padStart(2, '0');
  const mm = String(shifted.getUTCMinutes()).padStart(2, '0');
  return `${chineseDateOf(instant)} ${hh}:${mm}`;
}

const UNIT_NAMES: Record<string, string> = { working: '个工作日', calendar: '日' };

/** How a deadline was counted, as the instrument states it beside the deadline. */
export function deadlineRuleText(rule: { days: number; unit: string; from?: string } | null | undefined): string {
  if (!rule) return '由承办人员确定';
  const from = rule.from ? `自${chineseDate(rule.from)}起` : '自下达之日起';
  return `${from}${rule.days}${UNIT_NAMES[rule.unit] ?? `日（${rule.unit}）`}内`;
}

/** The person's display name, falling back to the login name so the record is never blank. */
export function personName(people: Record<string, string>, login: string | null | undefined): string {
  if (!login) return '—';
  if (login === 'system') return '系统';
  return people[login] ?? login;
}
