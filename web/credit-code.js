// @ts-check
/**
 * The unified social credit code's check (GB 32100), as the API makes it (domain/credit-code.ts):
 * checked here too so a typing mistake is named before anything is sent. Answers the reason's
 * key (length, character, division, check) or null.
 */
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** @param {string} code */
export function creditCodeProblem(code) {
  if (code.length !== 18) return 'length';
  if ([...code].some((c) => !CHARS.includes(c))) return 'character';
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'division';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARS.indexOf(code[i] ?? '') * (3 ** i % 31);
  return CHARS[(31 - (sum % 31)) % 31] === code[17] ? null : 'check';
}
