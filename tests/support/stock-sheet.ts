/** A stock import's file as the tests write it: the template's columns, rows as CSV, and its upload. */
import type { Requester } from './http';

export const STOCK_HEADER = '统一社会信用代码,企业名称,隐患名称,隐患类别,隐患等级,挂牌督办级别,发现日期,整改期限,状态,销号日期,责任监管人员';

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** Rows under the template's header, quoted where they must be, with a BOM unless told. */
export const stockCsv = (rows: string[][], bom = true) => Buffer.from(`${bom ? '\ufeff' : ''}${STOCK_HEADER}\r\n${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`);

/** Uploads a file for its dry run. */
export function uploadStock(as: Requester, bytes: Uint8Array, name: string) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return as('POST', '/api/stock-imports', { raw: form });
}
