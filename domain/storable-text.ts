/** Text Postgres cannot keep as it is given (in text or jsonb): NUL, or half of a surrogate pair. */
export const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const EVERY_UNSTORABLE = new RegExp(UNSTORABLE.source, 'g');

/**
 * Text read from a file, as it can be kept: what Postgres cannot store becomes U+FFFD, as a
 * decoder shows bytes it cannot read. (Text a person sends is refused instead: api/validate.ts.)
 */
export const storableText = (text: string): string => text.replace(EVERY_UNSTORABLE, '\ufffd');
