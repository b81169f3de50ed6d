// @ts-check
/**
 * 登记隐患: register a hazard (POST /api/hazards); on 201, on to the new hazard's page. Only
 * supervisors register; anyone else who comes here is told so (the API would refuse with 403).
 */
import { api, asProblem, enterprises, newIdempotencyKey } from '../api.js';
import { append, h } from '../dom.js';
import { addDays, shanghaiToday } from '../format.js';
import { t } from '../i18n.js';
import { hasRole } from '../session.js';
import { FormState, errorPanel, field, missingProblem, oneOf } from '../ui.js';
/** @typedef {import('../types').PageContext} PageContext */

// The API's own lists (checked against them), in the order the form offers them.
/** @type {typeof import('../../api/schemas/hazard').HAZARD_SOURCES} */
const SOURCES = ['inspection', 'grid_patrol', 'self_report', 'public_report'];
/** @type {typeof import('../../domain/policy-types').HAZARD_GRADES} */
const GRADES = ['general', 'major'];
/** @type {typeof import('../../domain/hazard-state').LISTING_LEVELS} */
const LISTING_LEVELS = ['province', 'city', 'county', 'township'];
/** A fortnight: a common term for a general hazard, changed freely. */
const DEFAULT_TERM_DAYS = 14;

export async function registerPage(/** @type {PageContext} */ { navigate, flash }) {
  const heading = h('h1', { tabindex: '-1' }, t('register.title'));
  if (!hasRole('supervisor')) {
    return {
      title: t('register.title'),
      node: h(
        'section',
        { class: 'page' },
        h('div', { class: 'page-head' }, heading),
        h('div', { class: 'notice notice-info', role: 'status' }, t('register.forbidden')),
        h('a', { class: 'back-link', href: '#/' }, '‹ ', t('detail.back')),
      ),
    };
  }
  let list;
  try {
    list = await enterprises(true);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title: t('register.title'), node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash || '#/'))) };
  }

  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('register.button'));
  const form = h('form', { class: 'card register-form', novalidate: true, 'data-form': 'register' });
  const state = new FormState(form, button, t('register.button'));
  const today = shanghaiToday();
  /**
   * Kept while an attempt's answer is unknown (network failure, server error), so sending again
   * cannot register the hazard twice; any answer received means the next attempt is a new request.
   */
  let idempotencyKey = newIdempotencyKey();

  const text = (/** @type {string} */ name, /** @type {string} */ labelText, /** @type {{required?: boolean, hint?: string, className?: string, multiline?: boolean, rows?: number, max?: number}} */ opts = {}) =>
    state.add(
      name,
      field({
        labelText,
        required: opts.required,
        hint: opts.hint,
        className: opts.className,
        build: (a) =>
          opts.multiline
            ? h('textarea', { ...a, name, rows: opts.rows ?? 3, maxlength: opts.max })
            : h('input', { ...a, type: 'text', name, maxlength: opts.max, autocomplete: 'off' }),
      }),
    );
  const select = (/** @type {string} */ name, /** @type {string} */ labelText, /** @type {Array<[string, string, boolean] | Array<string | boolean>>} */ options, /** @type {{hint?: string | null, className?: string}} */ opts = {}) =>
    state.add(
      name,
      field({
        labelText,
        required: true,
        hint: opts.hint,
        className: opts.className,
        build: (a) => h('select', { ...a, name }, options.map(([value, label, selected]) => h('option', { value, selected }, label))),
      }),
    );

  const enterprise = select(
    'enterpriseId',
    t('register.enterprise'),
    [['', t('register.enterprisePick'), true], ...list.map((e) => [e.id, e.name, false])],
    { hint: list.length ? null : t('register.noEnterprises'), className: 'span-2' },
  );
  const title = text('title', t('register.title.field'), { required: true, max: 200, className: 'span-2' });
  const category = text('category', t('register.category'), { required: true, max: 100, hint: t('register.categoryHint') });
  const source = select('source', t('register.source'), SOURCES.map((s, i) => [s, t(`source.${s}`), i === 0]));
  const grade = select('grade', t('register.grade'), GRADES.map((g, i) => [g, t(`grade.${g}.long`), i === 0]), { hint: t('register.gradeHint') });
  // Listed supervision (挂牌督办) applies to major hazards only: the level is asked for then.
  const listingLevel = select('listingLevel', t('register.listingLevel'), [['', t('register.listingLevelPick'), true], ...LISTING_LEVELS.map((l) => [l, t(`listing.${l}`), false])], {
    hint: t('register.listingLevelHint'),
  });
  const showListing = () => {
    listingLevel.wrap.hidden = grade.control.value !== 'major';
  };
  grade.control.addEventListener('change', showListing);
  showListing();
  const deadline = state.add(
    'deadline',
    field({
      labelText: t('register.deadline'),
      required: false,
      hint: t('register.deadlineHint'),
      build: (a) => h('input', { ...a, type: 'date', name: 'deadline', min: today, value: addDays(today, DEFAULT_TERM_DAYS) }),
    }),
  );
  const place = text('location', t('register.location'), { max: 500, className: 'span-2' });
  const description = text('description', t('register.description'), { multiline: true, max: 5000, className: 'span-2' });
  const requiredMeasures = text('requiredMeasures', t('register.requiredMeasures'), { multiline: true, max: 5000, className: 'span-2' });
  const legalBasis = text('legalBasis', t('register.legalBasis'), { multiline: true, rows: 2, max: 2000, className: 'span-2' });
  // Photos of the hazard as found: the "before" a reviewer compares the rectification with.
  const photos = state.add(
    'files',
    field({
      labelText: t('photos.before'),
      hint: t('photos.beforeHint'),
      className: 'span-2',
      build: (a) => h('input', { ...a, type: 'file', name: 'files', multiple: true, accept: 'image/jpeg,image/png,image/webp', capture: 'environment' }),
    }),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (/** @type {import('../types').Field<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>} */ f) => f.control.value.trim();
    const major = value(grade) === 'major';
    const required = { enterpriseId: enterprise, title, category, source, grade, ...(major ? { listingLevel } : {}) };
    const missing = Object.entries(required)
      .filter(([, f]) => !value(f))
      .map(([name]) => name);
    if (missing.length) return state.show(missingProblem(missing));
    const body = {
      enterpriseId: value(enterprise),
      title: value(title),
      category: value(category),
      // The selects offer only these; their first option is their default.
      source: oneOf(SOURCES, value(source)) ?? SOURCES[0],
      grade: oneOf(GRADES, value(grade)) ?? GRADES[0],
      ...(major ? { listingLevel: oneOf(LISTING_LEVELS, value(listingLevel)) } : {}),
      // Left empty, the deadline is counted by the policy's rule (working days on the calendar).
      ...(value(deadline) ? { deadline: value(deadline) } : {}),
      location: value(place),
      description: value(description),
      requiredMeasures: value(requiredMeasures),
      legalBasis: value(legalBasis),
    };
    state.clear();
    state.busy(true);
    try {
      const created = await api.registerHazard(body, idempotencyKey);
      const chosen = [...(photos.control.files ?? [])];
      // The hazard stands either way; photos that did not go up can be added from its page.
      const uploaded = chosen.length ? await api.uploadPhotos(created.id, chosen, 'before').then(() => true, () => false) : true;
      flash(uploaded ? t('register.done') : t('photos.beforeFailed'));
      navigate(`#/hazards/${encodeURIComponent(created.id)}`);
    } catch (thrown) {
      const problem = asProblem(thrown);
      if (problem.status > 0 && problem.status < 500) idempotencyKey = newIdempotencyKey();
      state.busy(false);
      state.show(problem);
    }
  });

  append(form, [
    h('p', { class: 'hint span-2' }, t('register.intro')),
    enterprise.wrap,
    title.wrap,
    category.wrap,
    source.wrap,
    grade.wrap,
    listingLevel.wrap,
    deadline.wrap,
    place.wrap,
    description.wrap,
    requiredMeasures.wrap,
    legalBasis.wrap,
    photos.wrap,
    h('div', { class: 'span-2' }, state.problemBox),
    h('div', { class: 'form-actions span-2' }, button, h('a', { class: 'button button-secondary', href: '#/' }, t('register.cancel'))),
  ]);

  return { title: t('register.title'), node: h('section', { class: 'page' }, h('div', { class: 'page-head' }, heading), form) };
}
