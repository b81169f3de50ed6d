/**
 * PDF's object syntax (ISO 32000 §7.2–7.3): a lexer and a reader of values over bytes. Names
 * come back decoded (`/J#61vaScript` is `JavaScript`), strings decoded from their escapes or hex,
 * so checks see what a viewer sees rather than how it was spelled.
 */

export class PdfSyntaxError extends Error {
  override name = 'PdfSyntaxError';
}
/** The file asks for more work than inspection allows (nesting, values). */
export class PdfTooComplex extends Error {
  override name = 'PdfTooComplex';
}

export class PdfName {
  constructor(readonly name: string) {}
}
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}
export class PdfKeyword {
  constructor(readonly word: string) {}
}
export type PdfDict = Map<string, PdfValue>;
/** Strings are Buffers (their decoded bytes); numbers are numbers. */
export type PdfValue = number | Buffer | PdfName | PdfRef | PdfKeyword | PdfValue[] | PdfDict;

const REGULAR = 0;
const SPACE = 1;
const DELIMITER = 2;
const CLASS = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[c] = SPACE;
for (const c of '()<>[]{}/%') CLASS[c.charCodeAt(0)] = DELIMITER;

export const isSpace = (c: number | undefined) => c !== undefined && CLASS[c] === SPACE;
export const isRegular = (c: number | undefined) => c !== undefined && CLASS[c] === REGULAR;
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const hexValue = (c: number) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);
/** \n \r \t \b \f in a literal string. */
const ESCAPES: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c };
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

/** How deep arrays and dictionaries may nest: far beyond any real document, short of the stack. */
export const MAX_DEPTH = 128;

type Token =
  | { t: 'eof' }
  | { t: 'num'; v: number; integer: boolean }
  | { t: 'name'; v: string }
  | { t: 'str'; v: Buffer }
  | { t: 'kw'; v: string }
  | { t: 'open-dict' | 'close-dict' | 'open-array' | 'close-array' | 'brace' };

/**
 * Reads values from `bytes[pos, end)`. Every value read counts against a shared allowance, so
 * no file, however its values are arranged, makes the reader do unbounded work.
 */
export class PdfReader {
  pos: number;
  constructor(
    readonly bytes: Buffer,
    start: number,
    readonly end: number,
    private readonly allowance: { values: number },
  ) {
    this.pos = start;
  }

  /** Skips whitespace and comments. */
  skipSpace(): void {
    const b = this.bytes;
    while (this.pos < this.end) {
      const c = b[this.pos]!;
      if (CLASS[c] === SPACE) this.pos++;
      else if (c === 0x25) {
        while (this.pos < this.end && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  token(): Token {
    this.skipSpace();
    const b = this.bytes;
    if (this.pos >= this.end) return { t: 'eof' };
    const c = b[this.pos]!;
    switch (c) {
      case 0x2f: // name
        return { t: 'name', v: this.name() };
      case 0x28:
        return { t: 'str', v: this.literal() };
      case 0x3c:
        if (b[this.pos + 1] === 0x3c && this.pos + 1 < this.end) {
          this.pos += 2;
          return { t: 'open-dict' };
        }
        return { t: 'str', v: this.hex() };
      case 0x3e:
        if (b[this.pos + 1] === 0x3e && this.pos + 1 < this.end) {
          this.pos += 2;
          return { t: 'close-dict' };
        }
        throw new PdfSyntaxError('a stray ">"');
      case 0x5b:
        this.pos++;
        return { t: 'open-array' };
      case 0x5d:
        this.pos++;
        return { t: 'close-array' };
      case 0x7b:
      case 0x7d:
        this.pos++;
        return { t: 'brace' };
      case 0x29:
        throw new PdfSyntaxError('a stray ")"');
    }
    const start = this.pos;
    // Most tokens are plain integers: read them without making a string.
    let integer = 0;
    let digitsOnly = true;
    while (this.pos < this.end && CLASS[b[this.pos]!] === REGULAR) {
      const d = b[this.pos]! - 0x30;
      if (d >= 0 && d <= 9) integer = integer * 10 + d;
      else digitsOnly = false;
      this.pos++;
    }
    if (digitsOnly) return { t: 'num', v: integer, integer: true };
    const word = b.toString('latin1', start, this.pos);
    if (NUMBER.test(word)) return { t: 'num', v: Number(word), integer: /^[+-]?\d+$/.test(word) };
    return { t: 'kw', v: word };
  }

  private name(): string {
    const b = this.bytes;
    this.pos++; // the solidus
    const out: number[] = [];
    while (this.pos < this.end && CLASS[b[this.pos]!] === REGULAR) {
      const c = b[this.pos]!;
      if (c === 0x23 && this.pos + 2 < this.end && hexValue(b[this.pos + 1]!) >= 0 && hexValue(b[this.pos + 2]!) >= 0) {
        out.push(hexValue(b[this.pos + 1]!) * 16 + hexValue(b[this.pos + 2]!));
        this.pos += 3;
      } else {
        out.push(c);
        this.pos++;
      }
    }
    return Buffer.from(out).toString('latin1');
  }

  private literal(): Buffer {
    const b = this.bytes;
    this.pos++; // (
    const out: number[] = [];
    let depth = 1;
    while (this.pos < this.end) {
      const c = b[this.pos++]!;
      if (c === 0x5c) {
        if (this.pos >= this.end) break;
        const e = b[this.pos++]!;
        const escaped = ESCAPES[e];
        if (escaped !== undefined) out.push(escaped);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && this.pos < this.end && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; k++) v = v * 8 + (b[this.pos++]! - 0x30);
          out.push(v & 0xff);
        } else if (e === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++; // a line continuation
        } else if (e !== 0x0a) out.push(e);
        continue;
      }
      if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) return Buffer.from(out);
      out.push(c);
    }
    throw new PdfSyntaxError('a string that never ends');
  }

  private hex(): Buffer {
    const b = this.bytes;
    this.pos++; // <
    const out: number[] = [];
    let high = -1;
    while (this.pos < this.end) {
      const c = b[this.pos++]!;
      if (c === 0x3e) {
        if (high >= 0) out.push(high * 16);
        return Buffer.from(out);
      }
      const v = hexValue(c);
      if (v < 0) {
        if (CLASS[c] === SPACE) continue;
        throw new PdfSyntaxError('a hex string with a character that is not hex');
      }
      if (high < 0) high = v;
      else {
        out.push(high * 16 + v);
        high = -1;
      }
    }
    throw new PdfSyntaxError('a hex string that never ends');
  }

  /**
   * After an integer: ` g R` makes it a reference. Looked at byte by byte (and passed over only
   * when it is one), since most integers are followed by anything else.
   */
  private referenceAhead(): number | null {
    const b = this.bytes;
    let p = this.pos;
    const spaces = () => {
      const from = p;
      while (p < this.end && CLASS[b[p]!] === SPACE) p++;
      return p > from;
    };
    if (!spaces()) return null;
    let gen = 0;
    const from = p;
    while (p < this.end && isDigit(b[p])) gen = gen * 10 + (b[p++]! - 0x30);
    if (p === from || !spaces() || p >= this.end || b[p] !== 0x52 || (p + 1 < this.end && CLASS[b[p + 1]!] === REGULAR)) return null;
    this.pos = p + 1;
    return gen;
  }

  /** One value. Keywords come back as PdfKeyword; the caller decides which belong where. */
  value(depth = 0): PdfValue {
    if (depth > MAX_DEPTH) throw new PdfTooComplex('arrays or dictionaries nested too deeply');
    if (--this.allowance.values < 0) throw new PdfTooComplex('too many values');
    const t = this.token();
    switch (t.t) {
      case 'eof':
        throw new PdfSyntaxError('the data ends inside a value');
      case 'num': {
        if (!t.integer || t.v < 0) return t.v;
        const ref = this.referenceAhead();
        return ref === null ? t.v : new PdfRef(t.v, ref);
      }
      case 'name':
        return new PdfName(t.v);
      case 'str':
        return t.v;
      case 'kw':
        return new PdfKeyword(t.v);
      case 'open-array': {
        const items: PdfValue[] = [];
        for (;;) {
          this.skipSpace();
          if (this.bytes[this.pos] === 0x5d && this.pos < this.end) {
            this.pos++;
            return items;
          }
          const item = this.value(depth + 1);
          if (item instanceof PdfKeyword && !['true', 'false', 'null'].includes(item.word)) {
            throw new PdfSyntaxError(`the keyword ${item.word} inside an array`);
          }
          items.push(item);
        }
      }
      case 'open-dict': {
        const dict: PdfDict = new Map();
        for (;;) {
          const key = this.token();
          if (key.t === 'close-dict') return dict;
          if (key.t !== 'name') throw new PdfSyntaxError('a dictionary key that is not a name');
          const item = this.value(depth + 1);
          if (item instanceof PdfKeyword && !['true', 'false', 'null'].includes(item.word)) {
            throw new PdfSyntaxError(`the keyword ${item.word} inside a dictionary`);
          }
          dict.set(key.v, item);
        }
      }
      default:
        throw new PdfSyntaxError(`an unexpected ${t.t}`);
    }
  }
}
