// @ts-check
/**
 * The words of printed documents on the pages: the 打印/下载 PDF links beside instruments,
 * decisions and suspensions, and a hazard's case file. Part of the dictionary in i18n.js.
 */

export const zh = {
  'documents.pdf': '打印/下载 PDF',
  'documents.pdfOf': '打印/下载 PDF：{name}',
  'documents.working': '正在生成…',
  'documents.done': '已下载（SHA-256 {hash}…）',
  'documents.failed': '下载失败（{status}）',
  'documents.title': '文书',
  'documents.empty': '暂无可打印的文书。',
  'documents.caseFile': '案卷',
  'documents.caseFileIntro': '本隐患的完整案卷：办理经过、证据清单及其 SHA-256、决定、文书、审计链与流程记录，电子版经签名，可用 npm run casefile:verify 核验。',
  'documents.caseFilePdf': '下载案卷 PDF',
  'documents.caseFileJson': '下载案卷电子版（JSON）',
  'documents.noNumber': '（无文号）',
  'documents.numberNote.issued-before-numbering': '（文书编号启用前出具，无文号）',
};

export const en = {
  'documents.pdf': 'Print / download PDF',
  'documents.pdfOf': 'Print / download PDF: {name}',
  'documents.working': 'Preparing…',
  'documents.done': 'Downloaded (SHA-256 {hash}…)',
  'documents.failed': 'Download failed ({status})',
  'documents.title': 'Documents',
  'documents.empty': 'No printable documents yet.',
  'documents.caseFile': 'Case file',
  'documents.caseFileIntro': "This hazard's whole case: its history, the evidence with SHA-256, decisions, instruments, the audit chain and the workflow record; the electronic copy is signed and checked with npm run casefile:verify.",
  'documents.caseFilePdf': 'Download the case file (PDF)',
  'documents.caseFileJson': 'Download the signed case file (JSON)',
  'documents.noNumber': '(no number)',
  'documents.numberNote.issued-before-numbering': '(issued before such documents were numbered; no number)',
};
