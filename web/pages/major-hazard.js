// @ts-check
/**
 * A major hazard's own part of its page: the five-point plan (五落实) with every version filed,
 * the form in which the enterprise files or revises it while rectifying (the plan must be on
 * record before rectification can be submitted), and the acceptances by party, with the form in
 * which the enterprise records its own acceptance check once the rectification is submitted.
 */
import { api, asProblem, newIdempotencyKey } from '../api.js';
import { append, h } from '../dom.js';
import { formatDate, formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { personName } from '../people.js';
import { hasRole } from '../session.js';
import { FormState, badge, card, fact, field, label, missingProblem } from '../ui.js';
/** @typedef {import('../types').Hazard} Hazard */
/** @typedef {import('../types').PageContext} PageContext */

const PLAN_FIELDS = ['measures', 'funds', 'deadline', 'responsiblePerson', 'contingencyPlan'];

/** Does this hazard run under the major-hazard rules (a plan before submission, acceptance by parties)? */
export const planRequired = (/** @type {Hazard} */ hz) => (typeof hz.planRequired === 'boolean' ? hz.planRequired : hz.grade === 'major' && (!!hz.listingLevel || !!hz.plan));

/** A plan as filed: the five points, its version, who filed it and when (ISO). */
/** @typedef {Omit<NonNullable<Hazard['plan']>, 'at'> & {at: string | number}} PlanVersion */

const day = (/** @type {string} */ d) => h('time', { datetime: d }, formatDate(d));

/**
 * @param {PlanVersion} plan
 * @param {Record<string, string>} people
 */
function planFacts(plan, people) {
  return h(
    'dl',
    { class: 'facts plan-facts' },
    fact(t('major.measures'), h('span', { class: 'prose' }, plan.measures)),
    fact(t('major.funds'), t('major.fundsValue', { amount: Number(plan.funds).toLocaleString() })),
    fact(t('major.planDeadline'), day(plan.deadline)),
    fact(t('major.responsiblePerson'), plan.responsiblePerson),
    fact(t('major.contingencyPlan'), h('span', { class: 'prose' }, plan.contingencyPlan)),
    h('p', { class: 'muted plan-version' }, t('major.planVersion', { version: plan.version, by: personName(people, plan.by) })),
  );
}

/**
 * Every version filed, newest first, from the timeline (each filing records the whole plan).
 * @param {Hazard} hz
 */
function planVersions(hz) {
  const filed = hz.timeline.filter((e) => e.type === 'plan_filed' && e.data && typeof e.data === 'object');
  // A filing records the whole plan as its data (domain/hazard-changes.ts filePlan).
  return filed
    .map((e) => {
      const plan = /** @type {Partial<PlanVersion>} */ (e.data);
      return /** @type {PlanVersion & {at: string}} */ ({ ...plan, by: plan.by ?? e.actor, at: e.occurredAt });
    })
    .sort((a, b) => (b.version ?? 0) - (a.version ?? 0));
}

/**
 * @param {Hazard} hz
 * @param {Record<string, string>} people
 */
function versionsList(hz, people) {
  const older = planVersions(hz).filter((v) => v.version !== hz.plan?.version);
  if (!older.length) return null;
  return h(
    'div',
    { class: 'plan-versions' },
    h('h4', null, t('plan.versions')),
    older.map((v) =>
      h(
        'details',
        { class: 'plan-version-item', 'data-version': v.version },
        h('summary', null, t('plan.versionSummary', { version: v.version, by: personName(people, v.by), at: formatDateTime(v.at) })),
        planFacts(v, people),
      ),
    ),
  );
}

/**
 * The enterprise files the plan (or a new version of it): every point is required.
 * @param {Hazard} hz
 * @param {import('../types').MajorHazardActions} actions
 */
function planForm(hz, { onDone, reload, refused }) {
  const revising = !!hz.plan;
  const submitText = revising ? t('plan.revise') : t('plan.file');
  const button = h('button', { type: 'submit', class: 'button button-primary' }, submitText);
  const form = h('form', { class: 'action-form plan-form', novalidate: true, 'data-form': 'plan', id: 'plan-form' });
  const state = new FormState(form, button, submitText);
  /** @type {Partial<Record<string, string | number>>} */
  const current = { ...hz.plan };
  const text = (/** @type {string} */ name, /** @type {string} */ labelText, /** @type {{hint?: string, max?: number}} */ props = {}) =>
    state.add(name, field({ labelText, required: true, hint: props.hint, build: (a) => h('input', { ...a, type: 'text', name, value: current[name] ?? '', maxlength: props.max ?? 200, autocomplete: 'off' }) }));
  const area = (/** @type {string} */ name, /** @type {string} */ labelText, /** @type {string} */ hint) =>
    state.add(name, field({ labelText, required: true, hint, build: (a) => h('textarea', { ...a, name, rows: 4, maxlength: 5000, value: current[name] ?? '' }) }));

  const measures = area('measures', t('major.measures'), t('plan.measuresHint'));
  const funds = state.add(
    'funds',
    field({
      labelText: t('plan.fundsLabel'),
      required: true,
      hint: t('plan.fundsHint'),
      build: (a) => h('input', { ...a, type: 'number', name: 'funds', min: 1, step: 'any', inputmode: 'decimal', value: current.funds ?? '' }),
    }),
  );
  const deadline = state.add(
    'deadline',
    field({
      labelText: t('major.planDeadline'),
      required: true,
      hint: t('plan.deadlineHint', { deadline: formatDate(hz.deadline) }),
      build: (a) => h('input', { ...a, type: 'date', name: 'deadline', max: hz.deadline, value: current.deadline ?? '' }),
    }),
  );
  const person = text('responsiblePerson', t('major.responsiblePerson'), { hint: t('plan.personHint') });
  const contingency = area('contingencyPlan', t('major.contingencyPlan'), t('plan.contingencyHint'));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      measures: measures.control.value.trim(),
      funds: Number(funds.control.value),
      deadline: deadline.control.value,
      responsiblePerson: person.control.value.trim(),
      contingencyPlan: contingency.control.value.trim(),
    };
    const missing = PLAN_FIELDS.filter((k) => (k === 'funds' ? funds.control.value.trim() === '' : !body[/** @type {keyof typeof body} */ (k)]));
    if (missing.length) return state.show(missingProblem(missing));
    /** @type {import('../types').FieldError[]} */
    const local = [];
    if (!(body.funds > 0)) local.push({ field: 'funds', message: t('plan.fundsPositive') });
    if (body.deadline > hz.deadline) local.push({ field: 'deadline', message: t('problem.plan-deadline-after-rectification') });
    if (local.length) return state.show({ status: -1, title: '', detail: '', errors: local });
    state.clear();
    state.busy(true);
    try {
      const updated = await api.filePlan(hz.id, body, newIdempotencyKey());
      await onDone(updated, t('plan.filed', { version: updated.plan?.version ?? '' }));
    } catch (thrown) {
      const problem = asProblem(thrown);
      refused(state, problem, reload);
    }
  });
  append(form, [
    h('h3', null, revising ? t('plan.reviseTitle', { version: (hz.plan?.version ?? 0) + 1 }) : t('plan.fileTitle')),
    h('p', { class: 'hint intro' }, t('plan.intro')),
    measures.wrap,
    funds.wrap,
    deadline.wrap,
    person.wrap,
    contingency.wrap,
    state.problemBox,
    h('div', { class: 'form-actions' }, button),
  ]);
  return form;
}

/**
 * The enterprise records its own acceptance check (企业自查验收) of the submitted rectification.
 * @param {Hazard} hz
 * @param {import('../types').MajorHazardActions} actions
 */
function acceptanceForm(hz, { onDone, reload, refused }) {
  const submitText = t('acceptance.button');
  const button = h('button', { type: 'submit', class: 'button button-primary' }, submitText);
  const form = h('form', { class: 'action-form acceptance-form', novalidate: true, 'data-form': 'acceptance' });
  const state = new FormState(form, button, submitText);
  const radioName = 'acceptance-passed';
  const radio = (/** @type {string} */ value, /** @type {string} */ text) => {
    const id = `${radioName}-${value}`;
    return h('div', { class: 'radio' }, h('input', { type: 'radio', name: radioName, id, value }), h('label', { for: id }, text));
  };
  const passedError = h('p', { class: 'field-error', id: 'acceptance-passed-error', hidden: true });
  const passed = h(
    'fieldset',
    { class: 'field radios', 'aria-describedby': passedError.id },
    h('legend', null, t('acceptance.result'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    passedError,
    h('div', { class: 'radio-row' }, radio('true', t('acceptance.passed')), radio('false', t('acceptance.failed'))),
  );
  state.add('passed', { wrap: passed, error: passedError, control: passed.querySelector('input') });
  const opinion = state.add('opinion', field({ labelText: t('acceptance.opinion'), required: true, hint: t('acceptance.opinionHint'), build: (a) => h('textarea', { ...a, name: 'opinion', rows: 3, maxlength: 2000 }) }));
  const signatory = state.add('signatory', field({ labelText: t('acceptance.signatory'), required: true, hint: t('acceptance.signatoryHint'), build: (a) => h('input', { ...a, type: 'text', name: 'signatory', maxlength: 200, autocomplete: 'name' }) }));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = /** @type {HTMLInputElement | null} */ (form.querySelector(`input[name="${radioName}"]:checked`))?.value;
    /** @type {import('../types').Bodies['acceptance']} */
    const body = { party: 'enterprise', passed: chosen === 'true', opinion: opinion.control.value.trim(), signatory: signatory.control.value.trim() };
    const missing = [...(chosen ? [] : ['passed']), ...(body.opinion ? [] : ['opinion']), ...(body.signatory ? [] : ['signatory'])];
    if (missing.length) return state.show(missingProblem(missing));
    state.clear();
    state.busy(true);
    try {
      const updated = await api.recordAcceptance(hz.id, body, newIdempotencyKey());
      await onDone(updated, t(body.passed ? 'acceptance.recordedPassed' : 'acceptance.recordedFailed'));
    } catch (thrown) {
      const problem = asProblem(thrown);
      refused(state, problem, reload);
    }
  });
  append(form, [h('h3', null, t('acceptance.formTitle')), h('p', { class: 'hint intro' }, t('acceptance.intro')), passed, opinion.wrap, signatory.wrap, state.problemBox, h('div', { class: 'form-actions' }, button)]);
  return form;
}

/**
 * @param {Hazard} hz
 * @param {Record<string, string>} people
 * @param {import('../types').MajorHazardActions} ctx
 */
function acceptancesPart(hz, people, ctx) {
  const acceptances = (Array.isArray(hz.acceptances) ? hz.acceptances : []).filter((a) => a.round === undefined || a.round === hz.round);
  const outstanding = Array.isArray(hz.acceptancesOutstanding) ? hz.acceptancesOutstanding : [];
  const parties = Array.isArray(hz.acceptanceParties) ? hz.acceptanceParties : [];
  if (hz.status !== 'under_review' && !acceptances.length) return null;
  const mine = hasRole('enterprise') && hz.status === 'under_review' && parties.includes('enterprise') && outstanding.includes('enterprise');
  return [
    h('h3', null, t('major.acceptances')),
    acceptances.length
      ? h(
          'ul',
          { class: 'acceptances' },
          acceptances.map((a) =>
            h(
              'li',
              { 'data-party': a.party },
              t('major.acceptanceLine', { party: label('party', a.party), opinion: a.opinion, signatory: a.signatory }),
              ' ',
              badge(a.passed ? 'accepted' : 'overdue', t(a.passed ? 'acceptance.passed' : 'acceptance.failed')),
              a.by ? h('span', { class: 'muted small' }, ' · ', personName(people, a.by)) : null,
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('acceptance.none')),
    hz.status === 'under_review' && outstanding.length
      ? h('p', { class: 'muted acceptances-outstanding' }, t('major.outstanding', { parties: outstanding.map((p) => label('party', p)).join(t('list.separator')) }))
      : null,
    hz.status === 'under_review' && parties.length && !outstanding.length ? h('p', { class: 'muted' }, t('major.allPassed')) : null,
    mine ? acceptanceForm(hz, ctx) : null,
  ];
}

/**
 * The card: nothing for a general hazard.
 * @param {Hazard} hz
 * @param {import('../types').MajorHazardActions} ctx
 */
export function majorCard(hz, ctx) {
  if (!planRequired(hz)) return null;
  const people = hz.people ?? {};
  const canFile = hasRole('enterprise') && hz.status === 'rectifying';
  return card(
    'major',
    t('major.title'),
    hz.listingLevel ? h('p', { class: 'listing' }, badge('listing', label('listing', hz.listingLevel))) : null,
    h('h3', null, t('major.plan'), hz.plan ? h('span', { class: 'muted small' }, ' ', t('plan.currentVersion', { version: hz.plan.version })) : null),
    hz.plan ? planFacts(hz.plan, people) : h('p', { class: 'muted plan-missing' }, t('major.noPlan')),
    versionsList(hz, people),
    canFile ? planForm(hz, ctx) : null,
    acceptancesPart(hz, people, ctx),
  );
}

/**
 * Above the submission form while the plan is missing: why submitting would be refused, and a way to the plan form.
 * @param {Hazard} hz
 */
export function planNeededNote(hz) {
  if (!planRequired(hz) || hz.plan || hz.status !== 'rectifying') return null;
  return h(
    'div',
    { class: 'notice notice-warning plan-needed', role: 'note' },
    h('p', null, t('problem.plan-required')),
    h(
      'button',
      {
        type: 'button',
        class: 'button button-secondary button-small',
        onClick: () => {
          const target = document.getElementById('plan-form');
          target?.scrollIntoView({ block: 'start' });
          /** @type {HTMLElement | null | undefined} */ (target?.querySelector('textarea, input'))?.focus();
        },
      },
      t('plan.goToForm'),
    ),
  );
}
