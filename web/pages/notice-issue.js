// @ts-check
/**
 * 下达督办通知: a supervisor or leader issues a notice for hazards chosen in the ledger (or from one
 * hazard). The deadline the notice will carry is counted by the API before issuing — the policy's
 * rule on the working-day calendar, or the date the issuer gives — and shown with its rule and
 * legal basis, so nobody issues a date they have not seen. It goes to the hazards' enterprise or to
 * a government body (a region's, with a department) within reach; to a body, hazards are optional
 * (they must lie within its region). Routes: #/notices/new?hazards=<id>,<id>, #/notices/new?to=body.
 */
import { api, asProblem, enterprises, everyRegion, newIdempotencyKey } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDate, shanghaiToday } from '../format.js';
import { t } from '../i18n.js';
import { FormState, card, enterpriseName, errorPanel, field, gradeBadge, statusBadge } from '../ui.js';
import { regionOptions } from '../admin-ui.js';
/** @typedef {import('../types').Hazard} Hazard */
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {import('../types').NoticePreview} NoticePreview */

const MAX_HAZARDS = 50;
const OPEN = ['rectifying', 'under_review'];

export async function noticeIssuePage(/** @type {PageContext} */ { query, navigate, flash }) {
  const title = t('issue.title');
  const ids = [...new Set((query.get('hazards') ?? '').split(',').filter(Boolean))].slice(0, MAX_HAZARDS);
  // To a government body (a county's bureau, a township): hazards are optional there.
  const toBody = query.get('to') === 'body';
  const back = h('a', { class: 'back-link', href: ids.length ? '#/hazards' : '#/notices' }, '‹ ', t(ids.length ? 'issue.back' : 'issue.backToNotices'));
  const heading = h('h1', { tabindex: '-1' }, title);
  if (!ids.length && !toBody) {
    return { title, node: h('section', { class: 'page notice-issue' }, back, heading, h('p', { class: 'empty card' }, t('issue.none'), ' ', h('a', { href: '#/notices/new?to=body' }, t('issue.toBodyLink')))) };
  }
  let chosen;
  let names;
  let regions;
  try {
    [chosen, names, regions] = await Promise.all([
      Promise.all(ids.map((id) => api.hazard(id))),
      enterprises().then((list) => new Map(list.map((e) => [e.id, e.name])), () => new Map()),
      everyRegion(),
    ]);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title, node: h('section', { class: 'page notice-issue' }, back, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  const enterpriseIds = [...new Set(chosen.map((hz) => hz.enterpriseId))];
  const closed = chosen.filter((hz) => !OPEN.includes(hz.status));
  const hazardList = chosen.length
    ? card(
        'issue-hazards',
        t('issue.hazards', { count: chosen.length }),
        h(
          'ul',
          { class: 'plain-list issue-hazard-list' },
          chosen.map((hz) =>
            h(
              'li',
              { 'data-hazard-id': hz.id },
              h('a', { href: `#/hazards/${encodeURIComponent(hz.id)}`, class: 'hazard-link' }, hz.title),
              ' ',
              gradeBadge(hz.grade),
              ' ',
              statusBadge(hz.status),
              h('span', { class: 'muted' }, ' · ', enterpriseName(names, hz.enterpriseId)),
            ),
          ),
        ),
      )
    : null;
  // Settled hazards cannot be put in a notice; one to an enterprise names one enterprise. Said here, before any form.
  if (closed.length) {
    const blocker = t('issue.settled', { titles: closed.map((hz) => hz.title).join(t('list.separator')) });
    return { title, node: h('section', { class: 'page notice-issue' }, back, heading, hazardList, h('div', { class: 'problem', role: 'alert' }, h('p', null, blocker))) };
  }
  const enterpriseId = enterpriseIds.length === 1 ? enterpriseIds[0] : null;
  const note = enterpriseIds.length > 1 ? h('p', { class: 'hint' }, t('issue.manyEnterprisesToBody')) : null;
  const enterprise = enterpriseId ? { id: enterpriseId, name: enterpriseName(names, enterpriseId) } : null;
  const node = h('section', { class: 'page notice-issue' }, back, heading, hazardList, note, issueForm(chosen, enterprise, regions, { toBody: toBody || !enterprise, navigate, flash }));
  return { title, node };
}

/**
 * @param {import('../types').Hazard[]} chosen
 * @param {{id: string, name: string} | null} enterprise the enterprise all the hazards are of (null: none, or several)
 * @param {import('../types').Region[]} regions
 * @param {{toBody: boolean} & Pick<PageContext, 'navigate' | 'flash'>} options
 */
function issueForm(chosen, enterprise, regions, { toBody, navigate, flash }) {
  const hazardIds = chosen.map((/** @type {Hazard} */ hz) => hz.id);
  const button = h('button', { type: 'submit', class: 'button button-primary', disabled: true }, t('issue.button'));
  const form = h('form', { class: 'card action-form issue-form', novalidate: true, 'data-form': 'issue-notice' });
  const state = new FormState(form, button, t('issue.button'));
  // Whom it goes to: the hazards' enterprise, or a government body (a region's, with a department).
  const to = h(
    'fieldset',
    { class: 'choice-group addressee-choice' },
    h('legend', null, t('issue.addressee')),
    enterprise ? h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'addressee', value: 'enterprise', checked: !toBody }), ' ', t('issue.toEnterprise', { name: enterprise.name })) : null,
    h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'addressee', value: 'body', checked: toBody }), ' ', t('issue.toBody')),
  );
  const bodyRegion = state.add(
    'addressee.regionId',
    field({ labelText: t('issue.field.bodyRegion'), required: true, hint: t('issue.bodyRegionHint'), build: (a) => h('select', a, h('option', { value: '' }, t('admin.pickRegion')), regionOptions(regions, '')) }),
  );
  const department = state.add(
    'addressee.department',
    field({ labelText: t('issue.field.department'), hint: t('issue.departmentHint'), build: (a) => h('input', { ...a, name: 'department', maxlength: 200 }) }),
  );
  const bodyFields = h('div', { class: 'addressee-body' }, bodyRegion.wrap, department.wrap);
  const toChosen = () => /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="addressee"]:checked'))?.value ?? 'body';
  /** The addressing the API takes, or null while a government body has no region picked. */
  const addressing = () => {
    if (toChosen() === 'enterprise' && enterprise) return { enterpriseId: enterprise.id };
    if (!bodyRegion.control.value) return null;
    const dept = department.control.value.trim();
    return { addressee: { regionId: bodyRegion.control.value, ...(dept ? { department: dept } : {}) } };
  };
  const titleField = state.add(
    'title',
    field({ labelText: t('issue.field.title'), required: true, build: (a) => h('input', { ...a, name: 'title', maxlength: 200, value: chosen.length ? t('issue.defaultTitle', { count: chosen.length }) : '' }) }),
  );
  const requirements = state.add(
    'requirements',
    field({
      labelText: t('issue.field.requirements'),
      required: true,
      build: (a) => h('textarea', { ...a, name: 'requirements', rows: 4, maxlength: 5000 }, chosen.map((/** @type {Hazard} */ hz) => t('issue.requirementLine', { title: hz.title, measures: hz.requiredMeasures || t('issue.rectifyPerLaw') })).join('\n')),
    }),
  );
  const mode = h(
    'fieldset',
    { class: 'choice-group' },
    h('legend', null, t('issue.deadlineMode')),
    h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'deadlineMode', value: 'policy', checked: true }), ' ', t('issue.byPolicy')),
    h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'deadlineMode', value: 'given' }), ' ', t('issue.byDate')),
  );
  const deadline = state.add(
    'deadline',
    field({ labelText: t('issue.field.deadline'), build: (a) => h('input', { ...a, type: 'date', name: 'deadline', min: shanghaiToday(), disabled: true }) }),
  );
  const legalBasis = state.add(
    'legalBasis',
    field({ labelText: t('issue.field.legalBasis'), hint: t('issue.legalBasisHint'), build: (a) => h('textarea', { ...a, name: 'legalBasis', rows: 2, maxlength: 2000 }) }),
  );
  const preview = h('div', { class: 'deadline-preview', role: 'status', 'aria-live': 'polite', 'data-preview': 'pending' }, t('issue.counting'));
  /** @type {NoticePreview | null} */
  let counted = null;
  let asked = 0;

  const modeChosen = () => /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="deadlineMode"]:checked'))?.value;
  const given = () => (modeChosen() === 'given' ? deadline.control.value : '');
  async function count() {
    const mine = ++asked;
    counted = null;
    button.disabled = true;
    const date = given();
    bodyFields.hidden = toChosen() !== 'body';
    const whom = addressing();
    if (!whom) {
      replace(preview, t('issue.pickBody'));
      preview.dataset.preview = 'pending';
      return;
    }
    if (modeChosen() === 'given' && !date) {
      replace(preview, t('issue.pickDate'));
      preview.dataset.preview = 'pending';
      return;
    }
    replace(preview, t('issue.counting'));
    try {
      const answer = await api.previewNotice({ ...whom, hazardIds, ...(date ? { deadline: date } : {}) });
      if (mine !== asked) return;
      counted = answer;
      state.clear();
      preview.dataset.preview = 'ready';
      preview.dataset.deadline = answer.deadline;
      replace(preview, previewText(answer));
      if (!legalBasis.control.value.trim()) legalBasis.control.placeholder = answer.legalBasis;
      button.disabled = false;
    } catch (thrown) {
      const problem = asProblem(thrown);
      if (mine !== asked) return;
      preview.dataset.preview = 'refused';
      replace(preview, t('issue.previewRefused'));
      state.show(problem);
    }
  }
  mode.addEventListener('change', () => {
    deadline.control.disabled = modeChosen() !== 'given';
    count();
  });
  deadline.control.addEventListener('change', count);
  to.addEventListener('change', count);
  bodyRegion.control.addEventListener('change', count);
  department.control.addEventListener('change', count);

  let idempotencyKey = newIdempotencyKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const whom = addressing();
    if (!counted || !whom) return;
    state.clear();
    state.busy(true);
    const body = {
      ...whom,
      hazardIds,
      title: titleField.control.value.trim(),
      requirements: requirements.control.value.trim(),
      ...(legalBasis.control.value.trim() ? { legalBasis: legalBasis.control.value.trim() } : {}),
      ...(counted.deadlineRule ? {} : { deadline: counted.deadline }),
    };
    try {
      const notice = await api.issueNotice(body, idempotencyKey);
      flash(t('issue.done', { code: notice.code, deadline: formatDate(notice.deadline) }));
      navigate(`#/notices/${encodeURIComponent(notice.id)}`);
    } catch (thrown) {
      const problem = asProblem(thrown);
      if (problem.status > 0 && problem.status < 500) idempotencyKey = newIdempotencyKey();
      state.busy(false);
      state.show(problem);
      // What the API refused may be the counted date itself: count again.
      if (problem.status === 409 || problem.status === 422) count();
    }
  });
  replace(form, h('h2', null, t('issue.formTitle')), to, bodyFields, titleField.wrap, requirements.wrap, mode, deadline.wrap, preview, legalBasis.wrap, state.problemBox, h('div', { class: 'form-actions' }, button));
  count();
  return form;
}

/**
 * "整改期限 2026-12-16（按 10 个工作日计算，依据…）", 期限待定 when counted into a year without a calendar.
 * @param {NoticePreview} p
 */
function previewText(p) {
  return h(
    'div',
    null,
    h('p', { class: 'preview-deadline' }, t('issue.deadlineIs'), ' ', h('strong', null, h('time', { datetime: p.deadline }, formatDate(p.deadline))), p.deadlineProvisional ? h('span', { class: 'badge badge-provisional' }, t('issue.provisional')) : null),
    h('p', { class: 'muted' }, p.deadlineRule ? t('issue.rule', { days: p.deadlineRule.days, unit: t(`issue.unit.${p.deadlineRule.unit}`), from: formatDate(p.issuedOn) }) : t('issue.givenDate')),
    p.deadlineRule ? h('p', { class: 'muted' }, t('issue.basis', { basis: p.legalBasis })) : null,
    p.signDue ? h('p', { class: 'muted' }, t('issue.signDue', { date: formatDate(p.signDue) })) : null,
    h('p', { class: 'muted' }, t('issue.grade'), ' ', gradeBadge(p.grade), p.policyId ? ` · ${t('issue.policyVersion', { id: p.policyId })}` : ` · ${t('issue.defaultPolicy')}`),
  );
}
