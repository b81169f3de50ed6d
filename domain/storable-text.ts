/** Text Postgres cannot keep as it is given (in text or jsonb): NUL, or half of a surrogate pair. */
export const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const EVERY_UNSTORABLE = new RegExp(UNSTORABLE.source, 'g');

/**
 * Text read from a file, as it can be kept: what Postgres cannot store becomes U+FFFD, as a
 * decoder shows bytes it cannot read. (Text a person sends is refused instead: api/validate.ts.)
 */
export const storableText = (text: string): string => text.replace(EVERY_UNSTORABLE, '\ufffd');

/**
 * The first `max` characters of `text`, counted in code points: a cut to a length limit never
 * leaves half a surrogate pair (an emoji, a CJK Extension B character), which Postgres refuses in
 * jsonb and a URI encoder throws on.
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (let n = 0; n < max && end < text.length; n++) end += (text.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
  return text.slice(0, end);
}
