/** The official instrument number form: `<agency>〔<year>〕<n>号`, no 第, no padding. */
import { describe, expect, it } from 'vitest';
import { formatInstrumentNumber, issuingAgency, parseInstrumentNumber } from '../../domain/instrument-number';

describe('instrument numbers', () => {
  it('formats in the official form', () => {
    expect(formatInstrumentNumber('江北应急', 2026, 12)).toBe('江北应急〔2026〕12号');
    expect(formatInstrumentNumber('江北应急', 2026, 1)).toBe('江北应急〔2026〕1号');
  });
  it('round-trips through parsing and refuses other forms', () => {
    expect(parseInstrumentNumber('江北应急〔2026〕12号')).toEqual({ agency: '江北应急', year: 2026, n: 12 });
    expect(parseInstrumentNumber('江北应急〔2026〕第12号')).toBeNull();
    expect(parseInstrumentNumber('江北应急〔2026〕012号')).toBeNull();
    expect(parseInstrumentNumber('江北应急[2026]12号')).toBeNull();
  });
  it('refuses numbers below 1, bad years and empty agencies', () => {
    expect(() => formatInstrumentNumber('江北应急', 2026, 0)).toThrow(RangeError);
    expect(() => formatInstrumentNumber('江北应急', 26, 1)).toThrow(RangeError);
    expect(() => formatInstrumentNumber(' ', 2026, 1)).toThrow(RangeError);
  });
  it('are given by the nearest agency up from the place, else by the county (or city) named with 应急', () => {
    const grid = { level: 'grid', name: '第1网格', agencyShortName: null };
    const township = { level: 'township', name: '江北镇', agencyShortName: null };
    const county = { level: 'county', name: '江北区', agencyShortName: '江北应急' };
    const city = { level: 'city', name: '滨江市', agencyShortName: '滨江应急' };
    expect(issuingAgency([grid, township, county, city])).toBe('江北应急');
    expect(issuingAgency([grid, township, { ...county, agencyShortName: ' ' }, city])).toBe('滨江应急');
    expect(issuingAgency([grid, township, { ...county, agencyShortName: null, name: '江〔北〕区' }, { ...city, agencyShortName: null }])).toBe('江北区应急');
  });
});
