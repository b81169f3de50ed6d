/** A stock import's file as the tests write it: the template's columns, rows as CSV, and its upload. */
import type { HttpResponse, Requester } from './http';

export const STOCK_HEADER = '统一社会信用代码,企业名称,隐患名称,隐患类别,隐患等级,挂牌督办级别,发现日期,整改期限,状态,销号日期,责任监管人员';

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** Rows under the template's header, quoted where they must be, with a BOM unless told. */
export const stockCsv = (rows: string[][], bom = true) => Buffer.from(`${bom ? '\ufeff' : ''}${STOCK_HEADER}\r\n${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`);

/** Uploads a file for its dry run: the answer of the upload itself (202 with the batch judging, or a refusal). */
export function postStock(as: Requester, bytes: Uint8Array, name: string, headers: Record<string, string> = {}) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return as('POST', '/api/stock-imports', { raw: form, headers });
}

/** Polls a batch until its judging has ended (validated or failed). */
export async function judged(as: Requester, id: string, timeoutMs = 300_000): Promise<HttpResponse> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    // A poll the busy database could not answer in time (503), or whose kept-alive connection was
    // closed under it, is polled again.
    const res = await as('GET', `/api/stock-imports/${id}`).catch((error: Error) => ({ status: 0, headers: new Headers(), body: error.message }));
    if (res.status !== 503 && res.status !== 0 && (res.status !== 200 || res.body.status !== 'judging')) return res;
    if (Date.now() > until) throw new Error(`the stock import ${id} is still judging: ${JSON.stringify(res.body.judging)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Uploads a file and waits for its dry run: the upload's status (202, or a refusal with its
 * problem) and, once judged, the batch as it then stands.
 */
export async function uploadStock(as: Requester, bytes: Uint8Array, name: string): Promise<HttpResponse & { upload: HttpResponse }> {
  const upload = await postStock(as, bytes, name);
  if (upload.status !== 202) return { ...upload, upload };
  const batch = await judged(as, upload.body.id);
  return { status: upload.status, headers: upload.headers, body: batch.body, upload };
}
