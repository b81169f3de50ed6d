import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { policyChanges } from '../../domain/policy-diff';
import { creditCodeProblem, isValidCreditCode, withCreditCheckChar } from '../../domain/credit-code';

describe('policy changes', () => {
  it('are none between equal versions', () => {
    expect(policyChanges(DEFAULT_POLICIES.general, structuredClone(DEFAULT_POLICIES.general))).toEqual([]);
  });

  it('name each changed leaf by its path, a list of plain values as a whole, and added or removed steps whole', () => {
    const after = structuredClone(DEFAULT_POLICIES.general);
    after.escalation[1]!.afterDays = 4;
    after.reminderDaysBefore = [5, 1];
    after.escalation.push({ afterDays: 20, level: 5, recipientRole: 'city_leader' });
    after.extension = { ...after.extension!, maxCount: 3 };
    delete after.repeatWindowMonths;
    expect(policyChanges(DEFAULT_POLICIES.general, after)).toEqual([
      { path: 'reminderDaysBefore', before: [3, 1], after: [5, 1] },
      { path: 'escalation.1.afterDays', before: 3, after: 4 },
      { path: 'escalation.4', before: null, after: { afterDays: 20, level: 5, recipientRole: 'city_leader' } },
      { path: 'extension.maxCount', before: 2, after: 3 },
      { path: 'repeatWindowMonths', before: 12, after: null },
    ]);
  });
});

describe('unified social credit codes (GB 32100)', () => {
  it('accept a code with its check character, and say what is wrong with others', () => {
    const good = withCreditCheckChar('91320100MA1TEHT0X');
    expect(isValidCreditCode(good)).toBe(true);
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true); // a published example
    const typo = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(creditCodeProblem(typo)).toMatch(/check character/);
    expect(creditCodeProblem('9132010')).toMatch(/18 characters/);
    expect(creditCodeProblem('91320100MA1TEHTOX9')).toMatch(/"O" cannot appear/);
    expect(creditCodeProblem('91A20100MA1TEHT0X9')).toMatch(/division code/);
  });
});
