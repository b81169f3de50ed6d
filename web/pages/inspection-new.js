// @ts-check
/**
 * 记录执法检查: a supervisor records an inspection of one enterprise with its checklist. Each item
 * is passed, failed or not applicable; a failed item says what category of hazard it found (and
 * its grade), so it can become a hazard from the inspection's page. Times are Shanghai's.
 * Route: #/inspections/new.
 */
import { api, asProblem, enterprises, newIdempotencyKey } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { FormState, errorPanel, field, label, oneOf } from '../ui.js';
/** @typedef {import('../types').PageContext} PageContext */

/** @type {typeof import('../../domain/inspection-checklist').INSPECTION_RESULTS} */
const RESULTS = ['pass', 'fail', 'not_applicable'];
/** @typedef {import('../types').Bodies['createInspection']['findings'][number]} FindingInput */
/** Common items of a site inspection, offered as a start; any can be changed or removed. */
const STANDARD_ITEMS = ['checklist.exits', 'checklist.extinguishers', 'checklist.electrical', 'checklist.chemicals', 'checklist.signs'];

/**
 * "YYYY-MM-DDTHH:MM" of an instant in Shanghai, for a datetime-local input.
 * @param {number} ms
 */
function shanghaiLocal(ms) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
/** A datetime-local value read as Shanghai time (UTC+8 all year). */
const asInstant = (/** @type {string} */ local) => (local ? `${local}:00+08:00` : '');

export async function inspectionNewPage(/** @type {PageContext} */ { navigate, flash }) {
  const title = t('inspections.new');
  const heading = h('h1', { tabindex: '-1' }, title);
  const back = h('a', { class: 'back-link', href: '#/inspections' }, '‹ ', t('inspections.back'));
  let list;
  let colleagues;
  try {
    [list, colleagues] = await Promise.all([enterprises(true), api.coInspectors().then((r) => r.items)]);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title, node: h('section', { class: 'page' }, back, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('inspections.save'));
  const form = h('form', { class: 'card register-form inspection-form', novalidate: true, 'data-form': 'inspection' });
  const state = new FormState(form, button, t('inspections.save'));
  const enterprise = state.add(
    'enterpriseId',
    field({
      labelText: t('register.enterprise'),
      required: true,
      className: 'span-2',
      build: (a) => h('select', { ...a, name: 'enterpriseId' }, [['', t('register.enterprisePick')], ...list.map((e) => [e.id, e.name])].map(([value, text]) => h('option', { value }, text))),
    }),
  );
  const place = state.add('location', field({ labelText: t('inspections.field.location'), className: 'span-2', build: (a) => h('input', { ...a, name: 'location', maxlength: 500 }) }));
  const now = Date.now();
  const startedAt = state.add('startedAt', field({ labelText: t('inspection.startedAt'), required: true, build: (a) => h('input', { ...a, type: 'datetime-local', name: 'startedAt', value: shanghaiLocal(now - 3600_000) }) }));
  const endedAt = state.add('endedAt', field({ labelText: t('inspection.endedAt'), required: true, build: (a) => h('input', { ...a, type: 'datetime-local', name: 'endedAt', value: shanghaiLocal(now) }) }));

  // Law enforcement goes in twos (行政处罚法 第四十二条): the colleagues who inspected alongside.
  const colleaguesError = h('p', { class: 'field-error', id: uid('co-error'), hidden: true });
  const colleagueBoxes = colleagues.map((p) =>
    h(
      'label',
      { class: 'choice' },
      h('input', { type: 'checkbox', name: 'coInspectors', value: p.id }),
      ' ',
      p.post ? t('picker.person', { name: p.displayName, post: label('post', p.post), region: p.regionName }) : t('picker.personNoPost', { name: p.displayName, region: p.regionName }),
    ),
  );
  const coInspectors = h(
    'fieldset',
    { class: 'field span-2 co-inspectors', 'data-field': 'coInspectors' },
    h('legend', null, t('inspections.field.coInspectors')),
    h('p', { class: 'hint' }, t('inspections.coInspectorsHint')),
    colleaguesError,
    colleagueBoxes.length ? h('div', { class: 'choice-list' }, colleagueBoxes) : h('p', { class: 'muted' }, t('picker.nobody')),
  );
  state.add('coInspectors', { wrap: coInspectors, error: colleaguesError });

  const rows = h('ol', { class: 'checklist' });
  const checklistError = h('p', { class: 'field-error', id: uid('checklist-error'), hidden: true });
  const checklist = h('fieldset', { class: 'field span-2 checklist-field' }, h('legend', null, t('inspections.checklist')), checklistError, rows);
  state.add('findings', { wrap: checklist, error: checklistError });

  function addRow(itemText = '') {
    const n = () => [...rows.children].indexOf(li) + 1;
    const id = uid('item');
    const item = h('input', { id, name: 'item', maxlength: 500, value: itemText });
    const result = h('select', { name: 'result', 'aria-label': t('inspections.field.result') }, RESULTS.map((r) => h('option', { value: r }, t(`inspection.result.${r}`))));
    const category = h('input', { name: 'category', maxlength: 100, 'aria-label': t('inspections.field.category'), placeholder: t('inspections.field.category') });
    const grade = h('select', { name: 'grade', 'aria-label': t('register.grade') }, ['general', 'major'].map((g) => h('option', { value: g }, t(`grade.${g}`))));
    const note = h('textarea', { name: 'note', rows: 2, maxlength: 2000, 'aria-label': t('inspections.field.note'), placeholder: t('inspections.field.note') });
    const measures = h('textarea', { name: 'requiredMeasures', rows: 2, maxlength: 5000, 'aria-label': t('register.requiredMeasures'), placeholder: t('register.requiredMeasures') });
    const failed = h('div', { class: 'finding-failed', hidden: true }, category, grade, measures);
    const remove = h('button', { type: 'button', class: 'button button-secondary button-small', onClick: () => { li.remove(); } }, t('inspections.removeItem'));
    /** @type {HTMLLIElement & {read?: () => FindingInput}} */
    const li = h('li', { class: 'checklist-item' }, h('label', { for: id, class: 'visually-hidden' }, t('inspections.field.item')), item, result, failed, note, remove);
    result.addEventListener('change', () => {
      failed.hidden = result.value !== 'fail';
    });
    li.read = () => ({
      item: item.value.trim(),
      result: oneOf(RESULTS, result.value) ?? RESULTS[0],
      ...(note.value.trim() ? { note: note.value.trim() } : {}),
      ...(result.value === 'fail' ? { category: category.value.trim(), grade: oneOf(['general', 'major'], grade.value), ...(measures.value.trim() ? { requiredMeasures: measures.value.trim() } : {}) } : {}),
    });
    li.dataset.n = String(n());
    rows.append(li);
    return li;
  }
  for (const key of STANDARD_ITEMS) addRow(t(key));
  const add = h('button', { type: 'button', class: 'button button-secondary', onClick: () => addRow().querySelector('input')?.focus() }, '+ ', t('inspections.addItem'));
  checklist.append(add);

  let key = newIdempotencyKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const findings = [...rows.children].map((li) => /** @type {HTMLLIElement & {read: () => FindingInput}} */ (li).read()).filter((f) => f.item);
    const body = {
      enterpriseId: enterprise.control.value,
      location: place.control.value.trim(),
      startedAt: asInstant(startedAt.control.value),
      endedAt: asInstant(endedAt.control.value),
      coInspectors: [...form.querySelectorAll('input[name="coInspectors"]:checked')].map((c) => /** @type {HTMLInputElement} */ (c).value),
      findings,
    };
    if (!body.enterpriseId) return state.show({ status: -1, title: t('form.requiredMissing'), errors: [{ field: 'enterpriseId', message: t('form.requiredMissing') }] });
    state.clear();
    state.busy(true);
    try {
      const inspection = await api.recordInspection(body, key);
      flash(t('inspections.recorded'));
      navigate(`#/inspections/${encodeURIComponent(inspection.id)}`);
    } catch (thrown) {
      const problem = asProblem(thrown);
      if (problem.status > 0 && problem.status < 500) key = newIdempotencyKey();
      state.busy(false);
      state.show(problem);
    }
  });
  replace(form, enterprise.wrap, place.wrap, startedAt.wrap, endedAt.wrap, coInspectors, checklist, h('div', { class: 'span-2' }, state.problemBox), h('div', { class: 'form-actions span-2' }, button));
  return { title, node: h('section', { class: 'page' }, back, h('div', { class: 'page-head' }, heading), form) };
}
