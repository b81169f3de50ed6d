/**
 * Bulk import of the stock (存量隐患): the template, the upload (answered once the file is stored)
 * and its dry run, judged behind the answer by a workflow with its progress (a report per row and
 * column, on the page and as Excel), then the import itself, which a workflow carries out in the
 * background, with its progress. An admin imports into their own jurisdiction only: rows
 * naming enterprises outside it are reported, never imported.
 */
import { z } from 'zod';
import { and, asc, eq, like } from 'drizzle-orm';
import type { AppDeps } from '../app';
import { enterprises, regions, users } from '../../db/schema';
import { createStockImport, dropStockImport, findStockImport, listStockImports, markImporting, unmarkImporting, stockImportLines, type StockImportLine, type StockImportRow } from '../../db/stock-imports';
import { batchJson, batchSchema, lineJson, lineSchema } from '../stock-import/batch-json';
import { prefixPattern } from '../../db/hazard-queries';
import { STOCK_COLUMNS, type StockColumn } from '../../domain/stock-import';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { UploadRefused } from '../../evidence/upload-refused';
import { STOCK_IMPORT_LIMITS } from '../../sheets/limits';
import { receiveSheet, SheetRefused, storeSheet, WrongFileType } from '../stock-import/upload';
import { templateWorkbook } from '../stock-import/template';
import { problemLine } from '../stock-import/problem-text';
import { sendWorkbook, streamLedger, XLSX_TYPE, type LedgerColumn } from '../ledger/sheet';
import { answerOnce, uploadFingerprint, uploadKey } from '../upload-idempotency';
import { Problem, problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { DEFAULT_STOCK_IMPORT_RATE, startStockImport, startStockJudging } from '../../temporal/stock-import';
import { startOutcome } from '../../temporal/start-outcome';
import { stockImportWorkflowId, stockJudgingWorkflowId } from '../../workflows/stock-import.messages';
import { urlNumber } from '../schemas/url-number';

const ADMINS = ['admin'] as const;
/** How long a batch may wait for its judging or its import to begin before a look at it starts it again. */
const START_GRACE_MS = 30_000;
const idParams = z.strictObject({ id: z.uuid() });
const langQuery = z.enum(['zh', 'en']).default('zh');

function asProblem(error: unknown): never {
  if (error instanceof SheetRefused) {
    throw problems.unprocessable(error.message, [{ field: 'file', message: error.message, code: error.code }], error.code);
  }
  if (error instanceof WrongFileType) {
    throw new Problem(415, 'unsupported-media-type', 'Unsupported media type', error.message, [{ field: 'file', message: error.message, code: 'sheet-wrong-type', file: error.fileName }]).coded('sheet-wrong-type');
  }
  if (!(error instanceof UploadRefused)) throw error;
  const errors = [{ field: error.field, message: error.message }];
  if (error.kind === 'not-multipart') throw new Problem(415, 'unsupported-media-type', 'Unsupported media type', error.message, errors);
  if (error.kind === 'file-too-large') throw new Problem(413, 'too-large', 'File too large', error.message, errors);
  if (error.kind === 'too-many-files') throw new Problem(413, 'too-many-files', 'Too many files', error.message, errors);
  throw problems.invalid(errors, error.message);
}

const VERDICT_TEXT = {
  valid: { zh: '可导入', en: 'valid' },
  duplicate: { zh: '重复（不导入）', en: 'duplicate (not imported)' },
  invalid: { zh: '有错误（不导入）', en: 'has errors (not imported)' },
  imported: { zh: '已导入', en: 'imported' },
  skipped: { zh: '已存在（未重复导入）', en: 'already there (not imported again)' },
} as const;

/** The report's columns: the row number, the cells as read, what is wrong (beside them) and the verdict. */
function reportColumns(): LedgerColumn<StockImportLine>[] {
  return [
    { title: { zh: '行号', en: 'Row' }, kind: 'number', value: (l) => l.rowNo },
    ...STOCK_COLUMNS.map((c): LedgerColumn<StockImportLine> => ({ title: { zh: c.header, en: c.header }, kind: 'text', value: (l) => l.cells[c.key as StockColumn] ?? '' })),
    { title: { zh: '问题', en: 'Problems' }, kind: 'text', value: (l, lang) => l.problems.map((p) => problemLine(p as never, lang)).join('；') },
    { title: { zh: '结论', en: 'Verdict' }, kind: 'text', value: (l, lang) => VERDICT_TEXT[l.verdict][lang] },
  ];
}

export function stockImportRoutes(deps: AppDeps): RouteSpec[] {
  const { db, clock, log } = deps;
  const found = async (regionPath: string, id: string) => {
    const batch = await findStockImport(db, regionPath, id);
    if (!batch) throw problems.notFound('stock import');
    return batch;
  };
  const startImport = (importId: string, by: string) =>
    startStockImport(deps.temporal, deps.hazards.taskQueue, { importId, by, ratePerSecond: deps.stockImportRate ?? DEFAULT_STOCK_IMPORT_RATE, pageSize: deps.stockImportPageSize });
  /**
   * An API stopped between recording a batch (or its confirmation) and starting its workflow left
   * it waiting for nothing: looked at after a while, the workflow is started (joined if it runs).
   */
  const startLeftBehind = async (batch: StockImportRow) => {
    const waited = (since: Date | null) => since !== null && clock() - since.getTime() > START_GRACE_MS;
    const start =
      batch.status === 'judging' && !batch.judgingStartedAt && waited(batch.createdAt)
        ? () => startStockJudging(deps.temporal, deps.hazards.taskQueue, batch.id)
        : batch.status === 'importing' && !batch.progressAt && batch.committedBy && waited(batch.committedAt)
          ? () => startImport(batch.id, batch.committedBy!)
          : null;
    await start?.().catch((err: unknown) => log.warn({ err, importId: batch.id, status: batch.status }, 'stock import step not started'));
  };
  return [
    route({
      method: 'get',
      path: '/api/stock-imports/template.xlsx',
      operationId: 'stockImportTemplate',
      summary: 'The template for importing a stock of hazards (存量隐患导入模板), Chinese headers; with examples=true, a few rows naming enterprises and supervisors within reach',
      tag: 'stock-imports',
      access: ADMINS,
      query: z.strictObject({ examples: z.enum(['true', 'false']).default('false') }),
      responses: { 200: { description: 'the workbook', contentType: XLSX_TYPE } },
      async handler({ res, query, principal }) {
        const examples =
          query.examples === 'true'
            ? await db
                .select({ creditCode: enterprises.creditCode, enterpriseName: enterprises.name, regionPath: enterprises.regionPath })
                .from(enterprises)
                .where(like(enterprises.regionPath, prefixPattern(principal.regionPath)))
                .orderBy(asc(enterprises.name))
                .limit(2)
            : [];
        const staff = examples.length
          ? await db
              .select({ username: users.username, path: regions.path })
              .from(users)
              .innerJoin(regions, eq(regions.id, users.regionId))
              .where(and(eq(users.role, 'supervisor'), eq(users.active, true), eq(users.kind, 'person')))
              .orderBy(asc(users.username))
          : [];
        // Each example names a supervisor over its enterprise's region, so the rows pass as they are.
        const withSupervisor = examples.flatMap((e) => {
          const over = staff.find((u) => e.regionPath.startsWith(u.path) && u.path.startsWith(principal.regionPath)) ?? staff.find((u) => e.regionPath.startsWith(u.path));
          return over ? [{ creditCode: e.creditCode, enterpriseName: e.enterpriseName, supervisor: over.username }] : [];
        });
        const bytes = await templateWorkbook(withSupervisor, shanghaiDate(clock()), addDays);
        sendWorkbook(res, { ascii: 'stock-import-template.xlsx', name: '存量隐患导入模板.xlsx' }, bytes);
      },
    }),
    route({
      method: 'post',
      path: '/api/stock-imports',
      operationId: 'uploadStockImport',
      summary: 'Upload a stock of hazards (.xlsx or .csv, multipart field "file") for a dry run: answered once the file is stored; every row is then checked behind the answer (status judging, with its progress) and reported; nothing is imported yet',
      tag: 'stock-imports',
      access: ADMINS,
      multipart: true,
      responses: {
        202: { description: 'the batch, judging; poll it (Location) until it is validated, with its counts, or failed, with its reason; its rows (GET …/rows) and report (GET …/report.xlsx) say what is wrong where', schema: batchSchema },
        400: { description: 'a malformed form or file name, another field, no file' },
        413: { description: `a file over ${STOCK_IMPORT_LIMITS.maxBytes} bytes or more than one file` },
        415: { description: 'not multipart, or not an .xlsx or .csv file' },
        422: { description: 'an empty file (sheet-empty), an .xlsx that is not a workbook (sheet-unreadable), an Idempotency-Key reused with another file' },
      },
      async handler({ req, res, principal }) {
        const key = uploadKey(req.get('idempotency-key'));
        const stored = await receiveSheet(req, STOCK_IMPORT_LIMITS, req.deadline, (sheet) => storeSheet(deps.evidence, sheet)).catch(asProblem);
        const startJudging = async () => {
          const batch = await createStockImport(db, { fileName: stored.name, fileFormat: stored.format, fileSha256: stored.sha256, fileBytes: stored.size, regionPath: principal.regionPath, createdBy: principal.username, createdAt: new Date(clock()) });
          try {
            await startStockJudging(deps.temporal, deps.hazards.taskQueue, batch.id);
          } catch (error) {
            // Nobody is answered with a batch that nothing judges. One whose judging may have begun
            // is kept: judged, or its judging started when the batch is looked at.
            const outcome = await startOutcome(deps.temporal, stockJudgingWorkflowId(batch.id), error);
            if (outcome === 'not-started') await dropStockImport(db, batch.id);
            if (outcome !== 'started') throw error;
          }
          return { status: 202, body: batchJson(batch), location: `/api/stock-imports/${batch.id}` };
        };
        // The file may have taken longer to arrive than calls to Temporal may take: their budget starts now.
        const begin = () => req.withTemporalBudget!(startJudging);
        if (!key) {
          const answer = await begin();
          return void res.status(202).location(answer.location).json(answer.body);
        }
        // A retry with the same key and file is answered with the first upload's batch; no second is judged.
        await answerOnce(db, { userId: principal.userId, key, requestHash: uploadFingerprint(req.originalUrl, [{ name: stored.name, sha256: stored.sha256 }]), instance: req.originalUrl }, res, begin);
      },
    }),
    route({
      method: 'get',
      path: '/api/stock-imports',
      operationId: 'listStockImports',
      summary: 'Stock imports within reach, newest first',
      tag: 'stock-imports',
      access: ADMINS,
      responses: { 200: { description: 'the batches', schema: z.object({ items: z.array(batchSchema) }) } },
      async handler({ res, principal }) {
        const items = await listStockImports(db, principal.regionPath, 50);
        res.json({ items: items.map(batchJson) });
      },
    }),
    route({
      method: 'get',
      path: '/api/stock-imports/:id',
      operationId: 'getStockImport',
      summary: 'A stock import: while judging, how far its dry run has come; then its counts and, once confirmed, its progress (rows done, workflows started, rate, time left)',
      tag: 'stock-imports',
      access: ADMINS,
      params: idParams,
      responses: { 200: { description: 'the batch', schema: batchSchema }, 404: { description: 'no such batch within reach' } },
      async handler({ res, params, principal }) {
        const batch = await found(principal.regionPath, params.id);
        await startLeftBehind(batch);
        res.json(batchJson(batch));
      },
    }),
    route({
      method: 'get',
      path: '/api/stock-imports/:id/rows',
      operationId: 'listStockImportRows',
      summary: 'The validation report of a stock import, row by row: the cells as read and the problems per column (problems=true: only rows with one)',
      tag: 'stock-imports',
      access: ADMINS,
      params: idParams,
      query: z.strictObject({
        problems: z.enum(['true', 'false']).default('true'),
        after: urlNumber(z.number().int().min(0).max(STOCK_IMPORT_LIMITS.maxRowNo).default(0)).describe('the last row number of the previous page'),
        limit: urlNumber(z.number().int().min(1).max(500).default(100)),
      }),
      responses: { 200: { description: 'a page of rows', schema: z.object({ items: z.array(lineSchema), nextAfter: z.number().int().nullable() }) }, 404: { description: 'no such batch within reach' } },
      async handler({ res, params, query, principal }) {
        const batch = await found(principal.regionPath, params.id);
        const lines = await stockImportLines(db, batch.id, query.problems === 'true' ? 'problems' : 'all', query.after, query.limit);
        res.json({ items: lines.map(lineJson), nextAfter: lines.length === query.limit ? lines[lines.length - 1]!.rowNo : null });
      },
    }),
    route({
      method: 'get',
      path: '/api/stock-imports/:id/report.xlsx',
      operationId: 'stockImportReport',
      summary: 'The validation report as Excel: every row as read, with its problems and verdict beside it',
      tag: 'stock-imports',
      access: ADMINS,
      params: idParams,
      query: z.strictObject({ lang: langQuery }),
      responses: { 200: { description: 'the workbook', contentType: XLSX_TYPE }, 404: { description: 'no such batch within reach' } },
      async handler({ res, params, query, principal }) {
        const batch = await found(principal.regionPath, params.id);
        async function* pages() {
          let after = 0;
          for (;;) {
            const page = await stockImportLines(db, batch.id, 'all', after, 1000);
            if (page.length) yield page;
            if (page.length < 1000) return;
            after = page[page.length - 1]!.rowNo;
          }
        }
        await streamLedger(
          res,
          { title: { zh: '存量隐患导入校验报告', en: 'Stock import validation report' }, fileStem: 'stock-import-report', filters: [[query.lang === 'zh' ? '文件' : 'File', batch.fileName], ['SHA-256', batch.fileSha256]], exportedBy: principal.username, exportedAt: clock(), rows: batch.rowsTotal, lang: query.lang },
          reportColumns(),
          pages(),
          log,
        );
      },
    }),
    route({
      method: 'post',
      path: '/api/stock-imports/:id/import',
      operationId: 'startStockImport',
      summary: 'Import the valid rows of a checked batch: hazards are recorded (closed ones closed on their day), and the open ones’ workflows start in the background at a limited rate',
      tag: 'stock-imports',
      access: ADMINS,
      params: idParams,
      responses: {
        202: { description: 'the import has begun; poll the batch for its progress', schema: batchSchema },
        404: { description: 'no such batch within reach' },
        409: { description: 'the batch is still being judged (stock-import-judging), could not be judged (stock-import-failed), or is already being imported or done (import-already-started)' },
      },
      async handler({ res, params, principal }) {
        const batch = await found(principal.regionPath, params.id);
        if (batch.status === 'judging') throw problems.conflict('the batch is still being checked; import it once it is validated', [], 'stock-import-judging');
        if (batch.status === 'failed') throw problems.conflict('the file could not be checked; upload it again once mended', [], 'stock-import-failed');
        if (!(await markImporting(db, batch.id, principal.username, new Date(clock())))) {
          throw problems.conflict(`the batch is ${batch.status === 'validated' ? 'being imported' : batch.status}`, [], 'import-already-started');
        }
        try {
          await startImport(batch.id, principal.username);
        } catch (error) {
          // Not begun: the batch may be confirmed again. Perhaps begun: it stays importing, and is
          // started (or joined) when the batch is looked at.
          const outcome = await startOutcome(deps.temporal, stockImportWorkflowId(batch.id), error);
          if (outcome === 'not-started') await unmarkImporting(db, batch.id, principal.username);
          if (outcome !== 'started') throw error;
        }
        res.status(202).location(`/api/stock-imports/${batch.id}`).json(batchJson(await found(principal.regionPath, batch.id)));
      },
    }),
  ];
}
