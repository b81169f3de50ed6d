/**
 * A minimal zip writer for crafting workbooks by hand (parts in a chosen order, parts that unpack
 * to far more than they weigh), which no spreadsheet library would write.
 */
import { createDeflateRaw, crc32 } from 'node:zlib';

/** Text, or text repeated `times` over (how a small part unpacks to a large one). */
export type Segment = string | { repeat: string; times: number };

export interface ZipPart {
  name: string;
  segments: Segment[];
}

async function deflated(segments: Segment[]): Promise<{ bytes: Buffer; crc: number; size: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  let crc = 0;
  let size = 0;
  const write = async (b: Buffer) => {
    crc = crc32(b, crc);
    size += b.length;
    if (!deflate.write(b)) await new Promise((r) => deflate.once('drain', r));
  };
  for (const s of segments) {
    if (typeof s === 'string') await write(Buffer.from(s, 'utf8'));
    else {
      // Written in blocks of about a megabyte, so a long repeat is quick to deflate.
      const unit = Buffer.from(s.repeat, 'utf8');
      const per = Math.max(1, Math.floor((1 << 20) / unit.length));
      const block = Buffer.concat(Array.from({ length: per }, () => unit));
      for (let left = s.times; left > 0; left -= per) await write(left >= per ? block : block.subarray(0, left * unit.length));
    }
  }
  deflate.end();
  await ended;
  return { bytes: Buffer.concat(out), crc: crc >>> 0, size };
}

export async function zipOf(parts: ZipPart[]): Promise<Buffer> {
  const files: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const { bytes, crc, size } = await deflated(part.segments);
    if (size >= 0xffffffff) throw new Error('parts of 4 GiB and more (zip64) are not written here');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(8, 8); // deflated
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(bytes.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(bytes.length, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    files.push(local, name, bytes);
    central.push(entry, name);
    offset += local.length + name.length + bytes.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...files, directory, end]);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006';

/**
 * An .xlsx of one sheet, written by hand: `rows` become the sheet's first rows (each cell a
 * shared string), then `sheetFiller` and `stringsFiller` pad the sheet and the shared strings;
 * `order` puts the sheet before the shared strings (as Excel does) or after.
 */
export function handWorkbook(opts: { rows: string[][]; sheetFiller?: Segment; stringsFiller?: Segment; order: 'sheet-first' | 'strings-first'; extra?: ZipPart[] }): Promise<Buffer> {
  const strings: string[] = [];
  const xml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rowsXml = opts.rows
    .map((cells, r) => `<row r="${r + 1}">${cells.map((text, c) => `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="s"><v>${strings.push(text) - 1}</v></c>`).join('')}</row>`)
    .join('');
  const parts = {
    head: [
      { name: '[Content_Types].xml', segments: [`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${PKG}/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`] },
      { name: '_rels/.rels', segments: [`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`] },
      { name: 'xl/workbook.xml', segments: [`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="导入" sheetId="1" r:id="rId1"/></sheets></workbook>`] },
      { name: 'xl/_rels/workbook.xml.rels', segments: [`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`] },
    ],
    sheet: { name: 'xl/worksheets/sheet1.xml', segments: [`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>${rowsXml}`, ...(opts.sheetFiller ? [opts.sheetFiller] : []), '</sheetData></worksheet>'] },
    strings: { name: 'xl/sharedStrings.xml', segments: [`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}">${strings.map((s) => `<si><t>${xml(s)}</t></si>`).join('')}`, ...(opts.stringsFiller ? [opts.stringsFiller] : []), '</sst>'] },
  };
  const body = opts.order === 'sheet-first' ? [parts.sheet, parts.strings] : [parts.strings, parts.sheet];
  return zipOf([...parts.head, ...(opts.extra ?? []), ...body]);
}
