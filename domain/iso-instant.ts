/**
 * An instant written as Date#toISOString writes it (2026-03-04T05:06:07.089Z), read back only when
 * it names a real moment Postgres can hold: no month 13, no February 30th, no hour 24, no year 0.
 */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function instantOfIso(text: string): Date | null {
  if (!ISO_INSTANT.test(text) || text.startsWith('0000')) return null;
  const at = new Date(text);
  // Date rolls an impossible day over into the next month; written back, it is another text.
  return !Number.isNaN(at.getTime()) && at.toISOString() === text ? at : null;
}
