/// <reference path="./unzipper.d.ts" />
/**
 * exceljs' streaming workbook reader, bounded: an .xlsx is a zip, and a few megabytes of it can
 * unpack to gigabytes of XML (shared strings are kept in memory, worksheets that come before them
 * are parked on disk). Every part is counted as it unpacks, against a budget per kind of part;
 * past it the read stops with `WorkbookTooLarge`. Also re-cuts text at character boundaries.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';
import { withRowRefs } from './row-refs';
import { SheetTooLarge } from './sheet-too-large';

const MiB = 1024 * 1024;

/**
 * Unpacked bytes a workbook may hold, per kind of part. A full 200,000-row import (a dozen
 * columns, three of free text) unpacks to roughly 120 MB of worksheet and 70 MB of shared strings.
 */
export const UNPACKED_LIMITS = {
  sharedStrings: 128 * MiB,
  worksheets: 512 * MiB,
  other: 128 * MiB,
  /**
   * The longest stretch of a part's XML without markup: the XML parser holds a text or a tag whole,
   * and no cell holds more than 32,767 characters (Excel's limit), about 100 KB even escaped.
   */
  textRun: 1 * MiB,
};

type PartKind = 'sharedStrings' | 'worksheets' | 'other';
export type UnpackedLimits = typeof UNPACKED_LIMITS;

export class WorkbookTooLarge extends SheetTooLarge {
  constructor(
    readonly part: PartKind | 'text',
    readonly limit: number,
  ) {
    const mb = `${Math.round((limit / MiB) * 100) / 100} MB`;
    super(part === 'text' ? `a text or tag in the workbook runs past ${mb}` : `the workbook unpacks to more than ${mb} of ${part === 'sharedStrings' ? 'shared strings' : part}`);
  }
}

/** Bytes since the last `<` once `chunk` has passed, or -1 when a stretch inside it ran past `max`. */
function runAfter(chunk: Buffer, since: number, max: number): number {
  let from = 0;
  for (let lt = chunk.indexOf(0x3c); lt !== -1; lt = chunk.indexOf(0x3c, from)) {
    if (since + lt - from > max) return -1;
    since = 0;
    from = lt + 1;
  }
  since += chunk.length - from;
  return since > max ? -1 : since;
}

/** Where the last whole UTF-8 character of `b` ends: a character cut at the end waits for the next chunk. */
export function wholeUtf8Length(b: Buffer): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const byte = b[b.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? b.length - back : b.length;
  }
  return b.length;
}

/** Chunks re-cut at character boundaries. */
async function* alignedChunks(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const all = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    const end = wholeUtf8Length(all);
    rest = all.subarray(end);
    if (end) yield all.subarray(0, end);
  }
  if (rest.length) yield rest;
}

/** What is left of each kind's budget for one workbook. */
class UnpackBudget {
  private readonly used: Record<PartKind, number> = { sharedStrings: 0, worksheets: 0, other: 0 };

  constructor(private readonly limits: UnpackedLimits) {}

  /**
   * The part's bytes as they unpack, counted: reading fails once its kind is over budget or, for
   * a part parsed as XML, once a stretch without markup runs past `textRun`. Nothing is unpacked
   * until its reader asks (a pulled stream), so a failure always meets its reader.
   */
  meter(entry: AsyncIterable<Buffer>, kind: PartKind, xml: boolean): Readable {
    const used = this.used;
    const limits = this.limits;
    return Readable.from(
      (async function* () {
        let run = 0;
        for await (const chunk of entry) {
          used[kind] += chunk.length;
          if (used[kind] > limits[kind]) throw new WorkbookTooLarge(kind, limits[kind]);
          if (xml && (run = runAfter(chunk, run, limits.textRun)) < 0) throw new WorkbookTooLarge('text', limits.textRun);
          yield chunk;
        }
      })(),
      { objectMode: false },
    );
  }
}

interface ZipEntry extends Readable {
  path: string;
  autodrain(): unknown;
}

const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;
/** Parts read as XML besides the sheets and shared strings. */
const PARSED = new Set(['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/styles.xml']);

function kindOf(path: string): PartKind {
  if (path === 'xl/sharedStrings.xml') return 'sharedStrings';
  return SHEET.test(path) ? 'worksheets' : 'other';
}

type Parent = {
  _getStream(input: unknown): Readable;
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: string): Generator<unknown>;
};
const parent = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as Parent;

/**
 * exceljs 4.4.0's streaming reader, with the parts counted (its own `parse` unpacks without limit)
 * and text re-cut at character boundaries (it decodes each inflated chunk on its own, so a Chinese
 * character split across two chunks came out as U+FFFD); rows and cells without a reference are
 * given theirs by position (sheets/row-refs).
 */
export class BoundedWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  constructor(
    input: Readable,
    options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>,
    private readonly limits: UnpackedLimits = UNPACKED_LIMITS,
  ) {
    super(input, options);
  }

  _parseSharedStrings(entry: Readable) {
    return parent._parseSharedStrings.call(this, Readable.from(alignedChunks(entry), { objectMode: false }));
  }

  _parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: string) {
    return parent._parseWorksheet.call(this, withRowRefs(alignedChunks(iterator)), sheetNo);
  }

  override async *parse(input?: unknown, options?: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>): AsyncGenerator<unknown> {
    const self = this as unknown as Parent & { input: unknown; options: object; sharedStrings?: unknown; workbookRels?: unknown };
    if (options) self.options = options;
    const source = self._getStream(input ?? self.input);
    const zip = unzipper.Parse({ forceStream: true });
    // A zip cut off inside a part fails the zip (FILE_ENDED) but leaves that part's stream open
    // for ever: fail the part being read with the zip's error, so its reader stops.
    let current: ZipEntry | null = null;
    let broken: Error | null = null;
    zip.on('error', (e: Error) => {
      broken = e;
      current?.destroy(e);
    });
    source.pipe(zip);
    const budget = new UnpackBudget(this.limits);
    // Worksheets that come before the shared strings (Excel writes them so) wait on disk.
    const parked: Array<{ sheetNo: string; file: string }> = [];
    let dir: string | null = null;
    try {
      for await (const entry of zip as AsyncIterable<ZipEntry>) {
        current = entry;
        // Its error reaches whoever reads it; one the zip's failure brings before anyone reads is no crash.
        entry.on('error', () => undefined);
        if (broken) entry.destroy(broken);
        const kind = kindOf(entry.path);
        const sheetNo = SHEET.exec(entry.path)?.[1];
        const parking = sheetNo !== undefined && !(self.sharedStrings && self.workbookRels);
        if (parking) dir ??= await mkdtemp(join(tmpdir(), 'duban-sheet-'));
        const body = budget.meter(entry, kind, kind !== 'other' || PARSED.has(entry.path));
        if (entry.path === 'xl/_rels/workbook.xml.rels') await self._parseRels(body);
        else if (entry.path === 'xl/workbook.xml') await self._parseWorkbook(body);
        else if (entry.path === 'xl/styles.xml') await self._parseStyles(body);
        else if (kind === 'sharedStrings') yield* self._parseSharedStrings(body);
        else if (sheetNo !== undefined && !parking) yield* self._parseWorksheet(body, sheetNo);
        else if (sheetNo !== undefined && dir) {
          // Named by its place, not its number: a part's number may be longer than a file name may be.
          const file = join(dir, `sheet-${parked.length}.xml`);
          await pipeline(body, createWriteStream(file));
          parked.push({ sheetNo, file });
        }
        // What was not read is read through (and counted): a part's bytes must pass for the next to start.
        for await (const _chunk of body) void _chunk;
      }
      // Cut off after the last part (in its directory): every part read whole, but not the file it claims to be.
      if (broken) throw broken;
      for (const { sheetNo, file } of parked) yield* self._parseWorksheet(createReadStream(file), sheetNo);
    } finally {
      source.unpipe(zip);
      zip.destroy();
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }
}
