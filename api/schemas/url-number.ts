/**
 * Numbers in a URL (a query value or a path segment): decimal digits, as a page or a person writes
 * them, read by the number schema given (its bounds, default). `z.coerce.number` would read
 * whatever `Number()` reads — `0x10`, `1e1`, ` 16 `, an empty value as 0 — and answer for a
 * number nobody asked for; here anything but digits is a 400 naming the value.
 */
import { z } from 'zod';

const DIGITS = /^-?\d{1,16}$/;

export function urlNumber<T extends z.ZodType>(number: T) {
  return z.preprocess((value) => (typeof value === 'string' && DIGITS.test(value) ? Number(value) : value), number);
}
