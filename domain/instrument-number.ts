/**
 * Official instrument numbers: `<agency short name>〔<year>〕<n>号`, e.g. `江北应急〔2026〕12号`.
 * No 第, no zero padding; numbers run from 1 without gaps per agency and year (allocation is in
 * db/instrument-numbers.ts, inside the transaction that issues the instrument).
 */
export function formatInstrumentNumber(agency: string, year: number, n: number): string {
  if (!agency.trim() || /[〔〕]/.test(agency)) throw new RangeError('the agency short name must be non-empty and free of 〔〕');
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new RangeError('year out of range');
  if (!Number.isInteger(n) || n < 1) throw new RangeError('numbers start at 1');
  return `${agency.trim()}〔${year}〕${n}号`;
}

const PATTERN = /^(.+)〔(\d{4})〕([1-9]\d*)号$/u;

export function parseInstrumentNumber(text: string): { agency: string; year: number; n: number } | null {
  const m = PATTERN.exec(text);
  return m ? { agency: m[1]!, year: Number(m[2]), n: Number(m[3]) } : null;
}
