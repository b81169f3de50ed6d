// @ts-check
/**
 * 工作日历: the published years (holidays and make-up working days, 调休), and publishing a year:
 * a file in the import format (as `npm run calendar:import` takes) is read into an editable table,
 * sent to the API, and each problem shown beside its day (`holidays.3.date`); then the
 * publication's progress as the open hazards and notices holding provisional dates are told.
 */
import { asProblem } from '../api.js';
import { adminApi } from '../admin-api.js';
import { h, replace, uid } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { FormState, card, errorPanel } from '../ui.js';
import { row as cells, table as grid } from '../admin-ui.js';
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {{date: string, name: string}} Day */

export async function calendarsPage(/** @type {PageContext} */ { navigate }) {
  const heading = h('h1', { tabindex: '-1' }, t('admin.calendars.title'));
  let years;
  let publications;
  try {
    [years, publications] = await Promise.all([adminApi.calendarYears(), adminApi.publications()]);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title: t('admin.calendars.title'), node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  const yearCols = ['year', 'source', 'holidays', 'workdays'].map((c) => t(`admin.calendars.col.${c}`));
  const progress = h('div', { class: 'publication-progress', 'aria-live': 'polite' });
  return {
    title: t('admin.calendars.title'),
    node: h(
      'section',
      { class: 'page admin-page' },
      h('div', { class: 'page-head' }, heading),
      h('p', { class: 'hint' }, t('admin.calendars.intro')),
      grid('calendar-years', t('admin.calendars.years'), yearCols, years.items.map((y) => cells({ 'data-year': y.year }, yearCols, [String(y.year), y.source, String(y.holidays.length), String(y.workdays.length)]))),
      progress,
      importForm(years.items, progress),
      publicationsCard(publications.items),
    ),
  };
}

/**
 * @param {import('../types').CalendarPublicationListItem[]} items
 */
function publicationsCard(items) {
  const cols = ['year', 'publishedAt', 'publishedBy', 'told', 'moved', 'state'].map((c) => t(`admin.calendars.pubCol.${c}`));
  return card(
    'calendar-publications',
    t('admin.calendars.publications'),
    items.length
      ? grid('publications', t('admin.calendars.publications'), cols, items.map((p) => cells({ 'data-publication-id': p.publicationId }, cols, [String(p.year), formatDateTime(p.publishedAt), p.publishedByName ?? p.publishedBy, t('admin.calendars.told', { hazards: p.hazardsTold, notices: p.noticesTold, concerned: p.concerned }), String(p.deadlinesMoved), stateText(p)])))
      : h('p', { class: 'empty' }, t('admin.calendars.noPublications')),
  );
}

const stateText = (/** @type {import('../types').CalendarPublication} */ p) => (p.done ? t('admin.calendars.done') : t('admin.calendars.remaining', { remaining: p.remaining }));

/**
 * Follows a publication until it is done, redrawing its progress.
 * @param {HTMLElement} slot
 * @param {string} publicationId
 */
async function follow(slot, publicationId) {
  for (let i = 0; i < 600 && slot.isConnected; i += 1) {
    let p;
    try {
      p = await adminApi.publication(publicationId);
    } catch (thrown) {
      const problem = asProblem(thrown);
      replace(slot, errorPanel(problem));
      return;
    }
    replace(
      slot,
      h(
        'div',
        { class: ['notice', p.done ? 'notice-success' : 'notice-info'], role: 'status', 'data-done': String(p.done) },
        h('p', null, h('strong', null, t(p.replaced ? 'admin.calendars.replaced' : 'admin.calendars.published', { year: p.year }))),
        h('progress', { max: Math.max(1, p.concerned), value: p.concerned - p.remaining, 'aria-label': t('admin.calendars.progress') }),
        h('p', null, t('admin.calendars.told', { hazards: p.hazardsTold, notices: p.noticesTold, concerned: p.concerned }), ' · ', t('admin.calendars.movedCount', { moved: p.deadlinesMoved }), ' · ', stateText(p)),
        p.failed ? h('p', null, t('admin.calendars.failed', { failed: p.failed })) : null,
      ),
    );
    if (p.done) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * @param {import('../types').CalendarYear[]} years
 * @param {HTMLElement} progress
 */
function importForm(years, progress) {
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.calendars.publish'));
  const form = h('form', { class: 'card admin-form calendar-form', novalidate: true, 'data-form': 'calendar' });
  const state = new FormState(form, button, t('admin.calendars.publish'));
  /** @type {{year: number, source: string, holidays: Day[], workdays: Day[]}} */
  const model = { year: new Date().getFullYear() + 1, source: '', holidays: [], workdays: [] };
  const body = h('div', { class: 'calendar-editor' });
  const fileId = uid('file');
  const file = h('input', { type: 'file', id: fileId, accept: 'application/json,.json' });
  const fileError = h('p', { class: 'field-error', hidden: true });
  file.addEventListener('change', async () => {
    fileError.hidden = true;
    const chosen = file.files?.[0];
    if (!chosen) return;
    try {
      const data = JSON.parse(await chosen.text());
      Object.assign(model, { year: data.year, source: data.source ?? '', holidays: Array.isArray(data.holidays) ? data.holidays : [], workdays: Array.isArray(data.workdays) ? data.workdays : [] });
      draw();
    } catch {
      fileError.hidden = false;
      fileError.textContent = t('admin.calendars.notJson');
    }
  });

  /** One input bound to model[key] (or a day's), named by its path for the API's errors. */
  const input = (/** @type {Record<string, unknown>} */ obj, /** @type {string} */ key, /** @type {string} */ path, /** @type {string} */ labelText, type = 'text') => {
    const id = uid('cal');
    const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    const control = h('input', { id, type, value: obj[key] ?? '', 'data-path': path, class: type === 'number' ? 'input-number' : null });
    control.addEventListener('input', () => {
      obj[key] = type === 'number' ? Number(control.value) : control.value;
    });
    const wrap = h('div', { class: 'field', 'data-field': path }, h('label', { for: id }, labelText), error, control);
    state.add(path, { wrap, error, control });
    return wrap;
  };
  const days = (/** @type {'holidays' | 'workdays'} */ kind) => {
    const rows = model[kind].map((day, i) =>
      h(
        'li',
        { class: 'calendar-day', 'data-path': `${kind}.${i}` },
        input(day, 'date', `${kind}.${i}.date`, t('admin.calendars.date', { n: i + 1 }), 'date'),
        input(day, 'name', `${kind}.${i}.name`, t('admin.calendars.dayName', { n: i + 1 })),
        h('button', { type: 'button', class: 'button button-link', onClick: () => (model[kind].splice(i, 1), draw()) }, t('admin.calendars.removeDay', { n: i + 1 })),
      ),
    );
    return h(
      'fieldset',
      { class: 'calendar-days', 'data-kind': kind },
      h('legend', null, t(`admin.calendars.${kind}`)),
      h('ol', null, rows),
      h('button', { type: 'button', class: 'button button-secondary button-small', onClick: () => (model[kind].push({ date: '', name: '' }), draw()) }, '+ ', t('admin.calendars.addDay')),
    );
  };
  function draw() {
    state.fields.clear();
    replace(body, input(model, 'year', 'year', t('admin.calendars.col.year'), 'number'), input(model, 'source', 'source', t('admin.calendars.col.source')), days('holidays'), days('workdays'));
  }
  draw();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    state.clear();
    state.busy(true);
    try {
      const started = await adminApi.publishCalendar({ year: model.year, source: model.source.trim(), holidays: model.holidays, workdays: model.workdays });
      state.busy(false);
      follow(progress, started.publicationId);
      progress.scrollIntoView?.({ block: 'nearest' });
    } catch (thrown) {
      const problem = asProblem(thrown);
      state.busy(false);
      state.show({ ...problem, errors: problem.errors.map((er) => ({ ...er })) });
    }
  });
  const replacing = () => years.some((y) => y.year === model.year);
  form.append(
    h('h2', null, t('admin.calendars.import')),
    h('p', { class: 'hint' }, t('admin.calendars.importHint')),
    h('div', { class: 'field' }, h('label', { for: fileId }, t('admin.calendars.file')), fileError, file),
    body,
    state.problemBox,
    h('div', { class: 'form-actions' }, button),
  );
  form.addEventListener('input', () => button.setAttribute('title', replacing() ? t('admin.calendars.replaceWarning') : ''));
  return form;
}
