// @ts-check
/**
 * The audit trail in the browser. #/hazards/<id>/audit (supervisors, leaders, admins): one
 * hazard's entries in chain order, who made each (by name), when (Shanghai) and what, with the hash
 * it links to and its own, and whether the chain verifies or where it breaks. #/audit (admins): every
 * chain within the admin's reach checked against its signed head, and the first break if any.
 */
import { api, asProblem } from '../api.js';
import { h } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { personName } from '../people.js';
import { badge, card, errorPanel, fact, label } from '../ui.js';
import { row, table } from '../admin-ui.js';
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {import('../types').HazardAudit} HazardAudit */

/** The record pages of each kind of chain (the administrative chain has none). */
const RECORD_HASH = /** @type {Partial<Record<string, (id: string) => string>>} */ ({
  hazard: (id) => `#/hazards/${encodeURIComponent(id)}/audit`,
  notice: (id) => `#/notices/${encodeURIComponent(id)}`,
  suspension: (id) => `#/suspensions/${encodeURIComponent(id)}`,
  inspection: (id) => `#/inspections/${encodeURIComponent(id)}`,
});

const time = (/** @type {string} */ iso) => h('time', { datetime: iso }, formatDateTime(iso));
const hash = (/** @type {string} */ value) => h('code', { class: 'audit-hash' }, value);

/**
 * Whether the chain holds, said first: a break names the entry and why.
 * @param {{ok: boolean, firstBreak: {seq: number, reason: string} | null}} check
 * @param {string} okText
 */
function verdict(check, okText) {
  if (check.ok || !check.firstBreak) return h('div', { class: 'notice notice-success audit-verdict', role: 'status', 'data-ok': 'true' }, okText);
  return h(
    'div',
    { class: 'problem audit-verdict', role: 'alert', 'data-ok': 'false' },
    h('p', { class: 'problem-title' }, t('audit.broken', { seq: check.firstBreak.seq, reason: label('audit.reason', check.firstBreak.reason) })),
  );
}

/**
 * The entries of one hazard's chain, the first broken one marked.
 * @param {HazardAudit} trail
 */
function entriesTable(trail) {
  const cols = ['seq', 'time', 'actor', 'type', 'hash'].map((c) => t(`audit.col.${c}`));
  const brokenAt = trail.ok ? null : (trail.firstBreak?.seq ?? null);
  const rows = trail.entries.map((e) =>
    row({ 'data-seq': String(e.seq), class: e.seq === brokenAt ? 'audit-broken' : null }, cols, [
      [String(e.seq), e.seq === brokenAt ? [' ', badge('overdue', t('audit.breakHere'))] : null],
      time(e.occurredAt),
      personName(trail.people, e.actor),
      label('event', e.type),
      h('dl', { class: 'audit-hashes' }, h('dt', null, t('audit.prevHash')), h('dd', null, hash(e.prevHash)), h('dt', null, t('audit.hash')), h('dd', null, hash(e.hash))),
    ]),
  );
  return rows.length ? table('audit-table', t('audit.title'), cols, rows) : h('p', { class: 'empty-state' }, t('audit.empty'));
}

export async function hazardAuditPage(/** @type {PageContext} */ { params, navigate }) {
  const id = params.id;
  const back = h('a', { class: 'back-link', href: `#/hazards/${encodeURIComponent(id)}` }, '‹ ', t('audit.back'));
  const heading = h('h1', { tabindex: '-1' }, t('audit.title'));
  try {
    const [hazard, trail] = await Promise.all([api.hazard(id), api.hazardAudit(id)]);
    const node = h(
      'section',
      { class: 'page audit-page' },
      back,
      h('header', { class: 'detail-head' }, heading, h('p', { class: 'detail-sub' }, hazard.title)),
      verdict(trail, t('audit.ok', { n: trail.rowsChecked })),
      h('p', { class: 'intro' }, t('audit.intro')),
      entriesTable(trail),
    );
    return { title: `${t('audit.title')} · ${hazard.title}`, node };
  } catch (thrown) {
    const problem = asProblem(thrown);
    const node = h('section', { class: 'page audit-page' }, back, heading, errorPanel(problem, () => navigate(location.hash)));
    return { title: t('audit.title'), node };
  }
}

/**
 * The chain a break is in, by kind, with a link to its record where it has a page.
 * @param {string} chain `admin`, `hazard:<id>`, `notice:<id>`…
 */
function chainName(chain) {
  const [kind, id] = chain.includes(':') ? [chain.slice(0, chain.indexOf(':')), chain.slice(chain.indexOf(':') + 1)] : [chain, ''];
  const name = label('audit.chain', kind);
  const to = RECORD_HASH[kind];
  return to && id ? [name, ' ', h('a', { class: 'audit-record-link', href: to(id) }, t('audit.verify.open'))] : name;
}

export async function auditVerifyPage(/** @type {PageContext} */ { navigate }) {
  const title = t('audit.verify.title');
  const heading = h('h1', { tabindex: '-1' }, title);
  const again = h('button', { type: 'button', class: 'button button-secondary', onClick: () => navigate(location.hash) }, t('audit.verify.again'));
  try {
    const report = await api.verifyAudit();
    const checkedAt = new Date().toISOString();
    const kinds = Object.entries(report.chains).filter(([, n]) => n > 0);
    const cols = [t('audit.verify.col.kind'), t('audit.verify.col.count')];
    const node = h(
      'section',
      { class: 'page audit-page' },
      h('div', { class: 'page-head' }, heading),
      h('p', { class: 'intro' }, t('audit.verify.intro')),
      verdict(report, t('audit.verify.ok', { chains: report.chainsChecked, rows: report.rowsChecked })),
      report.firstBreak
        ? card(
            'audit-break',
            t('audit.verify.brokenTitle'),
            h(
              'dl',
              { class: 'facts' },
              fact(t('audit.verify.chain'), chainName(report.firstBreak.chain)),
              fact(t('audit.verify.seq'), String(report.firstBreak.seq)),
              fact(t('audit.verify.reason'), label('audit.reason', report.firstBreak.reason)),
            ),
          )
        : null,
      table('audit-chains', title, cols, kinds.map(([kind, n]) => row({ 'data-kind': kind }, cols, [label('audit.chain', kind), String(n)]))),
      h('p', { class: 'muted' }, t('audit.verify.checkedAt', { at: formatDateTime(checkedAt) })),
      h('div', { class: 'form-actions' }, again),
    );
    return { title, node };
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title, node: h('section', { class: 'page audit-page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
}
