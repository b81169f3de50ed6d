// @ts-check
/**
 * A supervisor's commands on a notice not yet closed: move its deadline, with a reason (the ladder
 * restarts against the new date), and, for a notice without hazards (to a government body),
 * confirm its completion, which closes it (one with hazards closes with them). Only supervisors
 * may (the routes' access); a refusal is shown beside the form that caused it.
 */
import { api } from './api.js';
import { addDays, shanghaiToday } from './format.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { hasRole } from './session.js';
import { card } from './ui.js';
import { area, commandForm } from './command-form.js';

/**
 * The notice page's commands card, or null when the signed-in person has none here.
 * @param {import('./types').Notice} n
 * @param {{onDone: (note: string) => void}} options
 */
export function noticeCommandsCard(n, { onDone }) {
  if (n.status === 'closed' || !hasRole('supervisor')) return null;
  const after = addDays(n.deadline, 1);
  const today = shanghaiToday();
  const forms = [
    commandForm({
      name: 'extend-notice',
      title: t('notices.cmd.extend'),
      done: t('notices.cmd.extended'),
      fields: [
        {
          name: 'newDeadline',
          label: t('notices.cmd.newDeadline'),
          required: true,
          hint: t('notices.cmd.newDeadlineHint', { deadline: n.deadline }),
          build: (a) => h('input', { ...a, type: 'date', min: after > today ? after : today }),
        },
        { name: 'reason', label: t('cmd.field.reason'), required: true, build: area },
      ],
      send: (v, key) => api.extendNotice(n.id, { newDeadline: v.newDeadline, reason: v.reason }, key),
      onDone: (_answer, note) => onDone(note),
    }),
  ];
  if (!(n.hazards ?? []).length) {
    forms.push(
      commandForm({
        name: 'confirm-completion',
        title: t('notices.cmd.confirm'),
        done: t('notices.cmd.confirmed'),
        fields: [{ name: 'reason', label: t('notices.cmd.confirmReason'), required: true, hint: t('notices.cmd.confirmHint'), build: area }],
        send: (v, key) => api.confirmNoticeCompletion(n.id, { reason: v.reason }, key),
        onDone: (_answer, note) => onDone(note),
      }),
    );
  }
  return card('commands', t('cmd.title'), ...forms);
}
