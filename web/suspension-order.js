// @ts-check
/**
 * Ordering a suspension (停产整顿) of an enterprise, from the hazard that calls for it or from the
 * notice decision it carries out (then the decision's document number and reasons are filled in,
 * and the order names the decision as its origin, so it can be carried out once).
 */
import { api } from './api.js';
import { shanghaiToday } from './format.js';
import { t } from './i18n.js';
import { area, choice, commandForm, date, text } from './command-form.js';

/**
 * @template T
 * @param {{ enterpriseId: string, hazardId?: string | null, origin?: { type: 'notice_decision', id: string } | null,
 *   documentNumber?: string, reason?: string, after: () => Promise<T>, onDone: (answer: T, note: string) => void }} o
 */
export function suspensionOrderForm({ enterpriseId, hazardId = null, origin = null, documentNumber = '', reason = '', after, onDone }) {
  /** @type {(build: (a: import('./command-form.js').Attrs) => HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string) => (a: import('./command-form.js').Attrs) => HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} */
  const filled = (build, value) => (a) => {
    const el = build(a);
    if (value) el.value = value;
    return el;
  };
  return commandForm({
    name: 'suspension',
    title: t('cmd.suspend'),
    done: t('cmd.suspended'),
    fields: [
      { name: 'documentNumber', label: t('cmd.field.documentNumber'), required: true, build: filled(text, documentNumber) },
      { name: 'reason', label: t('cmd.field.reason'), required: true, build: filled(area, reason) },
      { name: 'scope', label: t('cmd.field.scope'), build: choice([['full', t('suspension.scope.full')], ['partial', t('suspension.scope.partial')]]) },
      { name: 'scopeNote', label: t('cmd.field.scopeNote'), build: text },
      { name: 'plannedEnd', label: t('cmd.field.plannedEnd'), required: true, build: date },
    ],
    send: (v, key) =>
      api
        .orderSuspension(
          {
            enterpriseId,
            ...(hazardId ? { hazardId } : {}),
            ...(origin ? { origin } : {}),
            documentNumber: v.documentNumber,
            reason: v.reason,
            scope: /** @type {'full' | 'partial'} */ (v.scope),
            ...(v.scopeNote ? { scopeNote: v.scopeNote } : {}),
            startsOn: shanghaiToday(),
            plannedEnd: v.plannedEnd,
          },
          key,
        )
        .then(after),
    onDone,
  });
}
