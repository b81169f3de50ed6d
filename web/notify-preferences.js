// @ts-check
/**
 * 通知方式: the signed-in person's channels beyond the inbox (only those the system is configured
 * to send on), addresses, quiet hours (Shanghai wall clock) and the daily digest; and, read only,
 * anyone's within an admin's reach (the admin's users page).
 */
import { api, asProblem } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { fieldProblemText, problemText } from './problem-text.js';
import { card, fact, field, fieldLabel, label } from './ui.js';

/** @typedef {import('./types').NotificationPreferences} Preferences */

const toTime = (/** @type {number | null} */ minutes) => (minutes === null ? '' : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
const toMinutes = (/** @type {string} */ value) => {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

/**
 * @param {Preferences} p
 * @param {(saved: Preferences) => void} onSaved
 */
function form(p, onSaved) {
  const channelBoxes = p.available.map((c) =>
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'channel', value: c, checked: p.channels.includes(c) }), ' ', label('deliveries.channel', c)),
  );
  const email = field({ labelText: t('prefs.email'), build: (a) => h('input', { ...a, type: 'email', name: 'email', autocomplete: 'email', value: p.email ?? '' }) });
  const phone = field({ labelText: t('prefs.phone'), build: (a) => h('input', { ...a, type: 'tel', name: 'phone', autocomplete: 'tel', value: p.phone ?? '' }) });
  const quietOn = h('input', { type: 'checkbox', name: 'quiet', checked: p.quietFrom !== null });
  const from = field({ labelText: t('prefs.quietFrom'), build: (a) => h('input', { ...a, type: 'time', name: 'quietFrom', value: toTime(p.quietFrom ?? 22 * 60) }) });
  const until = field({ labelText: t('prefs.quietUntil'), build: (a) => h('input', { ...a, type: 'time', name: 'quietUntil', value: toTime(p.quietUntil ?? 7 * 60) }) });
  const digest = h('input', { type: 'checkbox', name: 'digest', checked: p.digest });
  const status = h('div', { class: 'prefs-status', role: 'status' });
  const el = h(
    'form',
    {
      class: 'prefs-form',
      'data-form': 'notification-preferences',
      onSubmit: async (event) => {
        event.preventDefault();
        const body = {
          // One box per channel offered, in the same order.
          channels: p.available.filter((_, i) => /** @type {HTMLInputElement | null} */ (channelBoxes[i]?.querySelector('input'))?.checked),
          email: email.control.value.trim() || null,
          phone: phone.control.value.trim() || null,
          quietFrom: quietOn.checked ? toMinutes(from.control.value) : null,
          quietUntil: quietOn.checked ? toMinutes(until.control.value) : null,
          digest: digest.checked,
        };
        try {
          onSaved(await api.setNotificationPreferences(body));
          status.replaceChildren(h('p', { class: 'notice notice-success' }, t('prefs.saved')));
        } catch (thrown) {
          const problem = asProblem(thrown);
          const fields = (problem.errors ?? []).map((e) => t('form.fieldError', { field: fieldLabel(e.field.replace(/^body\./, '')), message: fieldProblemText(e, problem) }));
          status.replaceChildren(h('div', { class: 'problem', role: 'alert' }, h('p', { class: 'problem-title' }, problemText(problem) || t('error.load')), fields.length ? h('ul', null, fields.map((/** @type {string} */ m) => h('li', null, m))) : null));
        }
      },
    },
    h('fieldset', null, h('legend', null, t('prefs.channels')), channelBoxes.length ? channelBoxes : h('p', { class: 'muted' }, t('prefs.noChannels'))),
    p.available.includes('email') ? email.wrap : null,
    p.available.some((c) => c !== 'email') ? phone.wrap : null,
    h('fieldset', null, h('legend', null, t('prefs.quiet')), h('label', { class: 'check' }, quietOn, ' ', t('prefs.quietOn')), from.wrap, until.wrap),
    h('label', { class: 'check' }, digest, ' ', t('prefs.digest')),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button' }, t('prefs.save'))),
    status,
  );
  return el;
}

/**
 * Someone's preferences as an admin reads them: what each person set for themselves, unchangeable here.
 * @param {Preferences} p
 */
export function preferencesFacts(p) {
  const quiet = p.quietFrom === null || p.quietUntil === null ? t('prefs.quietOff') : t('prefs.quietSpan', { from: toTime(p.quietFrom), until: toTime(p.quietUntil) });
  return h(
    'dl',
    { class: 'facts prefs-facts', 'data-prefs': p.userId },
    fact(t('prefs.channelsAll'), [label('deliveries.channel', 'inbox'), ...p.channels.map((c) => label('deliveries.channel', c))].join(t('prefs.listSep'))),
    fact(t('prefs.email'), p.email ?? t('empty')),
    fact(t('prefs.phone'), p.phone ?? t('empty')),
    fact(t('prefs.quiet'), quiet),
    fact(t('prefs.digestShort'), p.digest ? t('prefs.digestOn') : t('prefs.digestOff')),
  );
}

/** The card, filled once the preferences arrive. */
export function preferencesCard() {
  const body = h('div', null, h('p', { class: 'muted' }, t('app.loading')));
  const show = (/** @type {Preferences} */ p) => body.replaceChildren(h('p', { class: 'intro' }, t('prefs.intro')), form(p, () => {}));
  api.notificationPreferences().then(show, () => body.replaceChildren(h('p', { class: 'muted' }, t('error.load'))));
  return card('prefs', t('prefs.title'), body);
}
