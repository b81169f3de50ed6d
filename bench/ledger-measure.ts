/**
 * What a ledger export costs in memory: the workbook is downloaded and counted, never kept, while
 * the live heap of this process (API and client alike) is probed after a forced collection every
 * 256 KB received. A streaming export shows the same live heap in the last quarter of the file
 * as in the first; a workbook built in memory would grow with every row.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function liveHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

export interface ExportMeasure {
  status: number;
  rows: number;
  bytes: number;
  seconds: number;
  /** The largest live heap above the baseline in each quarter of the file, and over all. */
  quarters: number[];
  peak: number;
  peakRss: number;
}

export async function measureExport(url: string, token: string): Promise<ExportMeasure> {
  const base = liveHeap();
  const started = Date.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const samples: Array<[number, number]> = [];
  let bytes = 0;
  let nextProbe = 0;
  let peakRss = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes >= nextProbe) {
      samples.push([bytes, liveHeap() - base]);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      nextProbe = bytes + 256 * 1024;
    }
  }
  const quarters = [0, 1, 2, 3].map((q) => Math.max(0, ...samples.filter(([b]) => b >= (q * bytes) / 4 && b < ((q + 1) * bytes) / 4).map(([, live]) => live)));
  return {
    status: res.status,
    rows: Number(res.headers.get('x-ledger-rows') ?? 0),
    bytes,
    seconds: (Date.now() - started) / 1000,
    quarters,
    peak: Math.max(0, ...quarters),
    peakRss,
  };
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

export function formatMeasure(m: ExportMeasure): string {
  return `${m.rows.toLocaleString('en')} rows, ${mb(m.bytes)} in ${m.seconds.toFixed(1)} s; live heap above the start by quarter of the file: ${m.quarters.map(mb).join(', ')} (peak ${mb(m.peak)}); process RSS at most ${mb(m.peakRss)}`;
}
