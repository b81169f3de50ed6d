// @ts-check
/**
 * Before an extension request is sent: the enterprise may give the days to add instead of a date,
 * and sees the deadline that counts out to (due at the end of that day, Beijing time), how far it
 * moves the round's deadline against the policy's total, and whether the request would break a
 * limit (count, total days, notice), as the API will judge it.
 */
import { h, replace } from './dom.js';
import { addDays, daysBetween, formatDate } from './format.js';
import { t } from './i18n.js';
import { field } from './ui.js';

/**
 * `allowance`: where the hazard stands against its limits (see detail.js extensionAllowance).
 * Returns the days field (kept in step with the date field) and the live preview.
 * @param {import('./types').Hazard} hz
 * @param {ReturnType<typeof import('./pages/detail.js').extensionAllowance>} allowance
 * @param {HTMLInputElement} dateControl
 */
export function extensionPreview(hz, allowance, dateControl) {
  const days = field({
    labelText: t('extension.daysLabel'),
    hint: t('extension.daysHint'),
    build: (a) => h('input', { ...a, type: 'number', name: 'extendDays', min: 1, step: 1, inputmode: 'numeric' }),
  });
  const preview = h('div', { class: 'extension-preview', role: 'status', 'aria-live': 'polite' });

  function render() {
    const date = dateControl.value;
    if (!date) return replace(preview);
    const by = daysBetween(hz.deadline, date);
    const total = daysBetween(allowance.original, date);
    const { limits } = allowance;
    const breaks = [
      by < 1 ? t('problem.extension-deadline-not-later') : null,
      allowance.timesLeft === 0 ? t('problem.extension-max-count') : null,
      allowance.tooLate ? t('problem.extension-min-lead-days') : null,
      total > limits.maxTotalDays ? t('extension.previewTooFar', { max: limits.maxTotalDays, latest: formatDate(allowance.latest) }) : null,
    ].filter(Boolean);
    replace(
      preview,
      h('p', { class: 'preview-deadline' }, t('extension.previewDeadline', { date: formatDate(date) })),
      by >= 1 ? h('p', { class: 'preview-days' }, t('extension.previewDays', { days: by, total, max: limits.maxTotalDays })) : null,
      breaks.length ? h('ul', { class: 'limit-warnings preview-breaks' }, breaks.map((b) => h('li', null, b))) : h('p', { class: 'preview-ok' }, t('extension.previewWithin')),
    );
    preview.dataset.within = breaks.length ? 'false' : 'true';
  }

  days.control.addEventListener('input', () => {
    const n = Number(days.control.value);
    if (Number.isInteger(n) && n > 0) dateControl.value = addDays(hz.deadline, n);
    render();
  });
  dateControl.addEventListener('input', () => {
    const n = dateControl.value ? daysBetween(hz.deadline, dateControl.value) : NaN;
    days.control.value = Number.isInteger(n) && n > 0 ? String(n) : '';
    render();
  });
  dateControl.addEventListener('change', () => dateControl.dispatchEvent(new Event('input')));
  return { days, preview };
}
