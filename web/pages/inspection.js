// @ts-check
/**
 * One inspection (执法检查): who inspected, where and when, and its checklist in order. A failed
 * finding not yet a hazard can be registered as one in a step by a supervisor (the deadline is
 * optional: the policy's time limit applies without one); a finding that became a hazard links to
 * it with its status. Everyone within reach reads.
 */
import { api, asProblem, enterprises, newIdempotencyKey } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { formatDateTime, shanghaiToday } from '../format.js';
import { t } from '../i18n.js';
import { personName } from '../people.js';
import { hasRole } from '../session.js';
import { FormState, enterpriseName, errorPanel, field, gradeBadge, label, oneOf, statusBadge } from '../ui.js';
/** @typedef {import('../types').PageContext} PageContext */

/** @type {typeof import('../../domain/hazard-state').LISTING_LEVELS} */
const LISTING_LEVELS = ['province', 'city', 'county', 'township'];

export async function inspectionPage(/** @type {PageContext} */ { params, navigate, flash, flashed }) {
  const id = params.id;
  const back = h('a', { class: 'back-link', href: '#/inspections' }, '‹ ', t('inspections.back'));
  try {
    const [inspection, list] = await Promise.all([api.inspection(id), enterprises().catch(() => [])]);
    const names = new Map(list.map((e) => [e.id, e.name]));
    const title = t('inspection.title', { enterprise: enterpriseName(names, inspection.enterpriseId) });
    const done = flashed ? h('div', { class: 'notice notice-success', role: 'status' }, flashed) : null;
    const node = h(
      'section',
      { class: 'page inspection' },
      back,
      h('header', { class: 'detail-head' }, h('h1', { tabindex: '-1', class: 'detail-title' }, title)),
      done,
      h('div', { class: 'inspection-grid' }, recordCard(inspection, names), findingsCard(inspection, { navigate, flash })),
    );
    return { title, node };
  } catch (thrown) {
    const problem = asProblem(thrown);
    const node = h(
      'section',
      { class: 'page inspection' },
      back,
      h('h1', { tabindex: '-1' }, problem.status === 404 ? t('inspection.notFound') : t('error.load')),
      problem.status === 404 ? null : errorPanel(problem, () => navigate(location.hash || '#/')),
    );
    return { title: t('error.load'), node };
  }
}

/**
 * @param {string} className
 * @param {string} titleText
 * @param {...import('../types').Child} content
 */
function card(className, titleText, ...content) {
  const headingId = uid('card');
  return h('section', { class: ['card', className], 'aria-labelledby': headingId }, h('h2', { id: headingId }, titleText), ...content);
}

const fact = (/** @type {string} */ term, /** @type {import('../types').Child[]} */ ...value) => h('div', { class: 'fact' }, h('dt', null, term), h('dd', null, ...value));
const time = (/** @type {string} */ iso) => h('time', { datetime: iso }, formatDateTime(iso));

/**
 * @param {import('../types').Inspection} insp
 * @param {Map<string, string>} names
 */
function recordCard(insp, names) {
  return card(
    'record',
    t('inspection.record'),
    h(
      'dl',
      { class: 'facts' },
      fact(t('detail.enterprise'), enterpriseName(names, insp.enterpriseId)),
      insp.location ? fact(t('detail.location'), insp.location) : null,
      fact(t('inspection.startedAt'), time(insp.startedAt)),
      fact(t('inspection.endedAt'), time(insp.endedAt)),
      fact(t('inspection.inspectors'), insp.inspectorNames.map((p) => p.displayName).join(t('list.separator')) || t('inspection.inspectorCount', { count: insp.inspectors.length })),
      fact(t('inspection.counts'), t('inspection.countsText', { findings: insp.findingsCount, failed: insp.failedCount, hazards: insp.hazardsCount })),
      fact(t('detail.createdBy'), personName(insp.people, insp.createdBy)),
    ),
  );
}

/**
 * @param {import('../types').Inspection} insp
 * @param {Pick<PageContext, 'navigate' | 'flash'>} ctx
 */
function findingsCard(insp, ctx) {
  const items = insp.findings.map((f) =>
    h(
      'li',
      { class: ['finding', `finding-${f.result}`], 'data-finding': String(f.n) },
      h('p', { class: 'finding-head' }, h('span', { class: 'finding-n' }, `${f.n}.`), ' ', h('span', { class: 'finding-item' }, f.item), ' ', h('span', { class: 'finding-result' }, label('inspection.result', f.result))),
      f.result === 'fail' ? h('p', { class: 'finding-meta' }, f.category ?? '', f.grade ? ' · ' : null, f.grade ? gradeBadge(f.grade) : null) : null,
      f.note ? h('p', { class: 'finding-note prose' }, f.note) : null,
      f.hazard
        ? h(
            'p',
            { class: 'finding-hazard' },
            h('a', { href: `#/hazards/${encodeURIComponent(f.hazard.id)}`, class: 'hazard-link' }, f.hazard.title ?? t('inspection.hazard')),
            ' ',
            f.hazard.status ? statusBadge(f.hazard.status) : null,
          )
        : f.result === 'fail' && hasRole('supervisor')
          ? registerForm(insp, f, ctx)
          : null,
    ),
  );
  return card('findings', t('inspection.findings'), h('ol', { class: 'finding-list' }, items));
}

/**
 * Registers one failed finding as a hazard, the registration prefilled from the finding (its item
 * as the title, its note as the description, its grade); the deadline may be left to the policy.
 * @param {import('../types').Inspection} insp
 * @param {import('../types').InspectionFinding} finding
 */
function registerForm(insp, finding, /** @type {Pick<PageContext, 'navigate' | 'flash'>} */ { navigate, flash }) {
  const form = h('form', { class: 'finding-register', 'data-form': `finding-${finding.n}`, novalidate: true });
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('inspection.register'));
  const state = new FormState(form, button, t('inspection.register'));
  const title = state.add('title', field({ labelText: t('finding.title'), required: true, build: (a) => h('input', { ...a, name: 'title', maxlength: 200, value: finding.item.slice(0, 200) }) }));
  const description = state.add(
    'description',
    field({ labelText: t('finding.description'), build: (a) => h('textarea', { ...a, name: 'description', rows: 2, maxlength: 5000 }, finding.note ?? '') }),
  );
  const grade = state.add(
    'grade',
    field({
      labelText: t('register.grade'),
      build: (a) => h('select', { ...a, name: 'grade' }, ['general', 'major'].map((g) => h('option', { value: g, selected: (finding.grade ?? 'general') === g }, t(`grade.${g}.long`)))),
    }),
  );
  const listingLevel = state.add(
    'listingLevel',
    field({
      labelText: t('register.listingLevel'),
      build: (a) => h('select', { ...a, name: 'listingLevel' }, [['', t('register.listingLevelPick')], ...LISTING_LEVELS.map((l) => [l, t(`listing.${l}`)])].map(([value, text]) => h('option', { value }, text))),
    }),
  );
  const showListing = () => {
    listingLevel.wrap.hidden = grade.control.value !== 'major';
  };
  grade.control.addEventListener('change', showListing);
  showListing();
  const deadline = state.add(
    'deadline',
    field({
      labelText: t('detail.deadline'),
      hint: t('inspection.deadlineHint'),
      build: (a) => h('input', { ...a, type: 'date', name: 'deadline', min: shanghaiToday() }),
    }),
  );
  // Kept while an attempt's answer is unknown: a retry reaches the same hazard.
  let idempotencyKey = newIdempotencyKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (/** @type {import('../types').Field<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>} */ f) => f.control.value.trim();
    const body = {
      title: value(title),
      description: value(description),
      grade: oneOf(['general', 'major'], value(grade)),
      ...(value(grade) === 'major' && value(listingLevel) ? { listingLevel: oneOf(LISTING_LEVELS, value(listingLevel)) } : {}),
      ...(value(deadline) ? { deadline: value(deadline) } : {}),
    };
    state.clear();
    state.busy(true);
    try {
      const hazard = await api.findingHazard(insp.id, finding.n, body, idempotencyKey);
      flash(t('inspection.registered'));
      navigate(`#/hazards/${encodeURIComponent(hazard.id)}`);
    } catch (thrown) {
      const problem = asProblem(thrown);
      if (problem.status > 0 && problem.status < 500) idempotencyKey = newIdempotencyKey();
      state.busy(false);
      state.show(problem);
    }
  });
  replace(form, title.wrap, description.wrap, grade.wrap, listingLevel.wrap, deadline.wrap, state.problemBox, h('div', { class: 'form-actions' }, button));
  return h('details', { class: 'command', open: true }, h('summary', null, t('inspection.register')), form);
}
