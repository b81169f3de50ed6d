// @ts-check
/**
 * The commands a supervisor or leader gives on one hazard, each a small form the API answers:
 * issue a notice for it, order a suspension (停产整顿), record an expert's acceptance of a major
 * hazard, reassign or delegate, reopen a closed one, void an open one. Only what the API allows
 * the signed-in role is offered (leaders void; both reopen, reassign and issue; supervisors record
 * experts' opinions and order suspensions), and a refusal is shown beside the form that caused it.
 */
import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { hasRole } from './session.js';
import { personPicker } from './person-picker.js';
import { card } from './ui.js';
import { area, choice, commandForm, date, text } from './command-form.js';
import { suspensionOrderForm } from './suspension-order.js';
import { policyPicker } from './policy-picker.js';

const OPEN = ['rectifying', 'under_review'];


/**
 * The commands card of the hazard page, or null when the signed-in role has none here.
 * @param {import('./types').Hazard} hz
 * @param {{onDone: (hazard: import('./types').Hazard, note: string) => void}} options
 */
export function commandsCard(hz, { onDone }) {
  if (!hasRole('supervisor', 'leader')) return null;
  const open = OPEN.includes(hz.status);
  const id = hz.id;
  const forms = [];
  if (open) forms.push(h('p', null, h('a', { class: 'button button-secondary', href: `#/notices/new?hazards=${encodeURIComponent(id)}`, 'data-command': 'issue-notice' }, t('cmd.issueNotice'))));
  if (open && hasRole('supervisor')) {
    forms.push(
      suspensionOrderForm({ enterpriseId: hz.enterpriseId, hazardId: id, after: () => api.hazard(id), onDone }),
    );
  }
  if (hz.grade === 'major' && hz.status === 'under_review' && hasRole('supervisor')) {
    forms.push(
      commandForm({
        name: 'expert-acceptance',
        title: t('cmd.expertAcceptance'),
        done: t('cmd.accepted'),
        fields: [
          { name: 'signatory', label: t('cmd.field.expert'), required: true, build: text },
          { name: 'passed', label: t('cmd.field.passed'), build: choice([['true', t('acceptance.passed')], ['false', t('acceptance.failed')]]) },
          { name: 'opinion', label: t('cmd.field.opinion'), required: true, build: area },
        ],
        send: (v, key) => api.hazardCommand(id, 'acceptances', { party: 'expert', passed: v.passed === 'true', opinion: v.opinion, signatory: v.signatory }, key),
        onDone,
      }),
    );
  }
  if (open) {
    const holders = { supervisor: [hz.assignment?.supervisor ?? null], enterprise_contact: [hz.assignment?.enterpriseContact ?? null] };
    /** @type {ReturnType<typeof personPicker> | undefined} */
    let newHolder;
    const roleChoice = (/** @type {import('./command-form.js').Attrs} */ a) => {
      const select = choice([['supervisor', t('cmd.assign.supervisor')], ['enterprise_contact', t('cmd.assign.enterprise_contact')]])(a);
      select.addEventListener('change', () => void newHolder?.load(select.value));
      return select;
    };
    forms.push(
      commandForm({
        name: 'reassign',
        title: t('cmd.reassign'),
        done: t('cmd.reassigned'),
        fields: [
          { name: 'role', label: t('cmd.field.assignmentRole'), build: roleChoice },
          {
            name: 'to',
            label: t('cmd.field.to'),
            required: true,
            hint: t('cmd.toHint'),
            build: (a) => (newHolder = personPicker(id, { place: 'supervisor', exclude: [...holders.supervisor, ...holders.enterprise_contact] }, a)),
          },
          { name: 'reason', label: t('cmd.field.reason'), required: true, build: area },
        ],
        send: (v, key) => api.hazardCommand(id, 'assignments', { kind: 'reassign', role: v.role, to: v.to, reason: v.reason }, key),
        onDone,
      }),
      commandForm({
        name: 'delegate',
        title: t('cmd.delegate'),
        done: t('cmd.delegated'),
        fields: [
          {
            name: 'to',
            label: t('cmd.field.delegate'),
            hint: t('cmd.delegateHint'),
            build: (a) => personPicker(id, { place: 'supervisor', exclude: [hz.assignment?.supervisor ?? null, hz.assignment?.delegate ?? null], none: hz.assignment?.delegate ? t('cmd.delegateNone') : undefined }, a),
          },
          { name: 'reason', label: t('cmd.field.reason'), required: true, build: area },
        ],
        send: (v, key) => api.hazardCommand(id, 'assignments', { kind: 'delegate', to: v.to || null, reason: v.reason }, key),
        onDone,
      }),
    );
  }
  if (open) forms.push(policyPicker(hz, { onDone }));
  if (open && hasRole('leader')) {
    forms.push(
      commandForm({
        name: 'void',
        title: t('cmd.void'),
        done: t('cmd.voided'),
        fields: [
          { name: 'kind', label: t('cmd.field.voidKind'), build: choice([['misreport', t('cmd.voidKind.misreport')], ['exempt', t('cmd.voidKind.exempt')]]) },
          { name: 'reason', label: t('cmd.field.reason'), required: true, build: area },
        ],
        send: (v, key) => api.hazardCommand(id, 'void', { kind: v.kind, reason: v.reason }, key),
        onDone,
      }),
    );
  }
  if (hz.status === 'closed') {
    forms.push(
      commandForm({
        name: 'reopen',
        title: t('cmd.reopen'),
        done: t('cmd.reopened'),
        fields: [
          { name: 'newDeadline', label: t('cmd.field.newDeadline'), required: true, build: date },
          { name: 'reason', label: t('cmd.field.reason'), required: true, build: area },
        ],
        send: (v, key) => api.hazardCommand(id, 'reopen', { newDeadline: v.newDeadline, reason: v.reason }, key),
        onDone,
      }),
    );
  }
  if (!forms.length) return null;
  return card('commands', t('cmd.title'), ...forms);
}
