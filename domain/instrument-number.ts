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

/**
 * The agency that numbers an instrument for a place: the nearest region, from the place up, with
 * an agency short name; else the county's (or city's) name with 应急. `upward` starts at the place.
 */
export function issuingAgency(upward: ReadonlyArray<{ level: string; name: string; agencyShortName: string | null }>): string {
  const named = upward.find((r) => r.agencyShortName?.trim());
  if (named) return named.agencyShortName!.trim();
  const seat = upward.find((r) => r.level === 'county' || r.level === 'city') ?? upward[upward.length - 1]!;
  return `${seat.name.replace(/[〔〕]/g, '')}应急`;
}
