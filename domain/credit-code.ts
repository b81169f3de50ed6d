/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-letter
 * alphabet (no I, O, S, V, Z), the 3rd–8th the administrative division code, the last a check
 * character over the first 17. Typing mistakes almost always break the check character.
 */

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** The check character for the first 17 characters (weights 3^i mod 31). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARS.indexOf(first17[i]!) * (3 ** i % 31);
  return CHARS[(31 - (sum % 31)) % 31]!;
}

/** Why a code is not a credit code (a sentence naming the rule broken), or null when it is one. */
export function creditCodeProblem(code: string): string | null {
  if (code.length !== 18) return 'a unified social credit code has 18 characters';
  const bad = [...code].find((c) => !CHARS.includes(c));
  if (bad !== undefined) return `"${bad}" cannot appear in a unified social credit code (digits and capital letters except I, O, S, V, Z)`;
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'characters 3 to 8 are the administrative division code: six digits';
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return 'the check character (the 18th) does not match: a character is mistyped';
  return null;
}

export const isValidCreditCode = (code: string) => creditCodeProblem(code) === null;

/** A code whose first 17 characters are given, completed with its check character. */
export const withCreditCheckChar = (first17: string) => first17 + creditCodeCheckChar(first17);
