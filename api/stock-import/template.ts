/**
 * The template a bureau fills in with its stock: the columns with Chinese headers (required
 * ones marked), the choices as drop-down lists, dates as date cells, and a sheet of instructions.
 * With examples, a few rows naming enterprises and supervisors within the importer's reach.
 */
import ExcelJS from 'exceljs';
import { STANDARD_CATEGORIES, STOCK_COLUMNS, type StockColumn } from '../../domain/stock-import';

const REQUIRED = new Set<StockColumn>(['title', 'category', 'grade', 'foundOn', 'deadline', 'status', 'supervisor']);
const DATE_COLUMNS = new Set<StockColumn>(['foundOn', 'deadline', 'closedOn']);
const CHOICES: Partial<Record<StockColumn, string[]>> = {
  grade: ['一般', '重大'],
  status: ['未销号', '已销号'],
  listingLevel: ['省级', '市级', '县级', '乡镇级'],
};

const NOTES = [
  '填写说明',
  '1. 每行一条隐患；第一行为表头，请勿修改表头文字。带 * 的列必填。',
  '2. 企业：填写统一社会信用代码（优先）或企业名称，须是您辖区内的企业。',
  '3. 隐患等级：一般 或 重大；重大隐患须填写挂牌督办级别（省级、市级、县级、乡镇级）。',
  '4. 日期写作 2026-03-05（或设置为日期格式的单元格）。整改期限不得早于发现日期。',
  '5. 状态：未销号 或 已销号；已销号须填写销号日期。整改期限已过的未销号隐患导入后即为逾期。',
  '6. 责任监管人员：填写登录名或姓名（同名时请填登录名）。',
  `7. 隐患类别：${STANDARD_CATEGORIES.join('、')}，或系统中已有的类别。`,
  '8. 同一企业、同一隐患名称、同一发现日期视为同一条隐患：重复导入不会重复登记。',
  '9. 也可另存为 CSV（UTF-8）后上传。',
];

export interface TemplateExample {
  creditCode: string;
  enterpriseName: string;
  supervisor: string;
}

const isoDay = (s: string) => new Date(`${s}T00:00:00Z`);

export async function templateWorkbook(examples: TemplateExample[], today: string, addDays: (d: string, n: number) => string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'duban';
  const sheet = book.addWorksheet('存量隐患', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = STOCK_COLUMNS.map((c) => ({ header: REQUIRED.has(c.key) ? `${c.header}*` : c.header, key: c.key, width: c.width, style: DATE_COLUMNS.has(c.key) ? { numFmt: 'yyyy-mm-dd' } : { numFmt: '@' } }));
  const head = sheet.getRow(1);
  head.font = { bold: true };
  head.eachCell((cell) => void (cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF5' } }));
  const rows = examples.flatMap((e, i) => [
    { creditCode: e.creditCode, enterpriseName: e.enterpriseName, title: `示例：配电箱未接地（${i + 1}）`, category: '电气安全', grade: '一般', foundOn: isoDay(addDays(today, -40 - i)), deadline: isoDay(addDays(today, 20 + i)), status: '未销号', supervisor: e.supervisor },
    { creditCode: e.creditCode, enterpriseName: e.enterpriseName, title: `示例：消防通道堆放杂物（${i + 1}）`, category: '消防安全', grade: '一般', foundOn: isoDay(addDays(today, -60 - i)), deadline: isoDay(addDays(today, -5 - i)), status: '未销号', supervisor: e.supervisor },
    { creditCode: e.creditCode, enterpriseName: e.enterpriseName, title: `示例：应急照明损坏（${i + 1}）`, category: '消防安全', grade: '一般', foundOn: isoDay(addDays(today, -90 - i)), deadline: isoDay(addDays(today, -70 - i)), status: '已销号', closedOn: isoDay(addDays(today, -72 - i)), supervisor: e.supervisor },
  ]);
  for (const r of rows) sheet.addRow(r);
  const last = Math.max(1000, rows.length + 1);
  STOCK_COLUMNS.forEach((c, i) => {
    const choices = CHOICES[c.key];
    if (!choices) return;
    const letter = String.fromCharCode(65 + i);
    for (let r = 2; r <= last; r++) {
      sheet.getCell(`${letter}${r}`).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${choices.join(',')}"`] };
    }
  });
  const notes = book.addWorksheet('填写说明');
  notes.getColumn(1).width = 100;
  for (const line of NOTES) notes.addRow([line]);
  notes.getRow(1).font = { bold: true, size: 14 };
  return Buffer.from(await book.xlsx.writeBuffer());
}
