/**
 * The case file (隐患案卷) as a printed document: the same content as its JSON twin, in tables,
 * closing with the twin's signature so the paper and the file can be matched.
 */
import type { CaseFile } from '../case-file';
import { noticeDecisionTitle } from './notice-instruments';
import { chineseDate, chineseDateOf, chineseDateTimeOf, type Block, type PrintedDocument } from './page';

/** Chinese names of the steps a case file's trail records; others print as recorded. */
const EVENT_NAMES: Record<string, string> = {
  registered: '登记',
  reminder_sent: '提醒',
  became_overdue: '逾期',
  escalated: '升级督办',
  rectification_submitted: '提交整改',
  review_accepted: '复查通过',
  review_rejected: '复查驳回',
  review_overdue: '复查逾期',
  extension_requested: '申请延期',
  extension_approved: '批准延期',
  extension_denied: '不予延期',
  extension_lapsed: '延期申请失效',
  voided: '作废',
  reopened: '重新打开',
  reassigned: '调整责任人',
  delegated: '委托代办',
  plan_filed: '提交五落实方案',
  acceptance_recorded: '验收意见',
  calendar_applied: '节假日安排更新',
  notice_attached: '纳入督办通知',
  policy_changed: '适用新版督办政策',
  urged: '领导催办',
  issued: '下达督办通知',
  signed: '签收',
  instrument_issued: '下发督办文书',
  decision_opened: '待决定',
  decision_taken: '作出决定',
  decision_declined: '决定不予采取',
  deadline_extended: '延长期限',
  closed: '办结',
  ordered: '责令停产整顿',
  resumption_requested: '申请复产',
  resumption_approved: '同意复产',
  resumption_rejected: '不同意复产',
  extended: '延长整顿期限',
  lifted: '解除停产整顿',
  hazard_closed: '所涉隐患销号',
  hazard_void: '所涉隐患作废',
  hazard_reopened: '所涉隐患重新打开',
  sign_escalated: '签收逾期',
  deadline_recomputed: '期限重新计算',
};

const CHAIN_NAMES: Record<string, string> = { hazard: '隐患', notice: '督办通知', suspension: '停产整顿' };

const chainLabel = (chain: string, index: Map<string, number>) => `${CHAIN_NAMES[chain.split(':')[0]!] ?? chain}${index.get(chain) ?? ''}`;
const at = (iso: string | null | undefined) => (iso ? chineseDateTimeOf(Date.parse(iso)) : '—');

export function caseFileDocument(file: CaseFile, agency: string): PrintedDocument {
  const h = file.hazard as CaseFile['hazard'] & { enterprise?: { name: string; creditCode: string }; grade?: string; deadline?: string; status?: string };
  // Chains numbered within their kind (督办通知1, 督办通知2) so the tables can refer to them briefly.
  const index = new Map<string, number>();
  const counts: Record<string, number> = {};
  for (const c of file.audit) {
    const kind = c.chain.split(':')[0]!;
    if (kind !== 'hazard') index.set(c.chain, (counts[kind] = (counts[kind] ?? 0) + 1));
  }
  const person = (login: string) => file.people[login] ?? (login === 'system' ? '系统' : login);
  const body: Block[] = [
    {
      kind: 'fields',
      fields: [
        { label: '隐患', value: h.title },
        { label: '企业', value: h.enterprise ? `${h.enterprise.name}（统一社会信用代码 ${h.enterprise.creditCode}）` : '—' },
        { label: '等级', value: h.grade === 'major' ? '重大事故隐患' : '一般隐患' },
        { label: '整改期限', value: h.deadline ? chineseDate(h.deadline) : '—' },
        { label: '案卷截至', value: at(file.asOf) },
      ],
    },
    { kind: 'heading', text: '一、办理经过' },
    {
      kind: 'table',
      columns: ['时间', '事项', '经办人', '记录'],
      widths: [0.26, 0.3, 0.22, 0.22],
      rows: file.timeline.map((e) => [at(e.occurredAt), EVENT_NAMES[e.type] ?? e.type, e.actorName ?? person(e.actor), `${chainLabel(e.chain, index)}#${e.seq}`]),
    },
    { kind: 'heading', text: '二、证据清单' },
    file.evidence.length
      ? {
          kind: 'table',
          columns: ['文件', '类型', '字节', 'SHA-256'],
          widths: [0.22, 0.14, 0.1, 0.54],
          rows: file.evidence.map((f) => [f.name, f.mediaType, String(f.size), f.sha256]),
        }
      : { kind: 'paragraph', text: '无。' },
    { kind: 'heading', text: '三、决定' },
    file.decisions.length
      ? {
          kind: 'table',
          columns: ['事项', '状态', '文号', '决定人', '时间'],
          // Wide enough for the longest title (责令停产停业整顿决定书) on one line.
          widths: [0.3, 0.13, 0.23, 0.1, 0.24],
          rows: file.decisions.map((d) => [
            // Named as the JSON twin names it; a notice's decision not yet taken by the page it would be.
            d.title ?? noticeDecisionTitle(d.kind),
            d.status === 'taken' ? '已作出' : d.status === 'pending' ? '待决定' : d.status === 'declined' ? '不予采取' : '已失效',
            String(d.documentNumber ?? (d.data as { documentNumber?: string } | undefined)?.documentNumber ?? '—'),
            d.decidedBy ? person(String(d.decidedBy)) : '—',
            at((d.decidedAt as string | null) ?? null),
          ]),
        }
      : { kind: 'paragraph', text: '无。' },
    { kind: 'heading', text: '四、文书' },
    file.instruments.length
      ? {
          kind: 'table',
          columns: ['文号', '文书', '签发', '时间'],
          widths: [0.3, 0.26, 0.18, 0.26],
          rows: file.instruments.map((i) => [i.code, i.title, person(i.issuedBy), at(i.issuedAt)]),
        }
      : { kind: 'paragraph', text: '无。' },
    { kind: 'heading', text: '五、审计链' },
    {
      kind: 'paragraph',
      text: '每条记录的哈希（HMAC-SHA256）覆盖其内容与前一条记录的哈希，改动、删除或调换任何一条都会使其后的链接全部失效。',
    },
    ...file.audit.flatMap((c): Block[] => [
      { kind: 'paragraph', text: `${chainLabel(c.chain, index)}（${c.chain}）` },
      {
        kind: 'table',
        columns: ['序号', '事项', '哈希'],
        widths: [0.1, 0.22, 0.68],
        rows: c.entries.map((e) => [`#${e.seq}`, EVENT_NAMES[String(e.content.type)] ?? String(e.content.type), e.hash]),
      },
    ]),
    { kind: 'heading', text: '六、流程记录（Temporal）' },
    {
      kind: 'fields',
      fields: [
        { label: '工作流', value: file.workflow.workflowId },
        { label: '运行次数', value: String(file.workflow.runs.length) },
        { label: '历史事件总数', value: String(file.workflow.events) },
      ],
    },
    {
      kind: 'table',
      columns: ['运行 ID', '状态', '事件数'],
      widths: [0.62, 0.2, 0.18],
      rows: file.workflow.runs.map((r) => [r.runId, r.status, String(r.events)]),
    },
    { kind: 'heading', text: '七、签名' },
    { kind: 'paragraph', text: '本案卷的电子版（JSON）以审计密钥签名（HMAC-SHA256），可用 npm run casefile:verify 对照数据库核验。签名：' },
    // A table row is never split across pages: the signature stays whole on one line.
    { kind: 'table', columns: ['签名'], widths: [1], rows: [[file.signature]] },
  ];
  return {
    title: '隐患督办案卷',
    number: null,
    addressee: null,
    body,
    agency,
    dateText: chineseDateOf(Date.parse(file.asOf)),
    copiesTo: null,
    printedBy: agency,
    madeAt: Date.parse(file.asOf),
    subject: `case file of hazard ${file.hazard.id} ${file.signature}`,
  };
}
