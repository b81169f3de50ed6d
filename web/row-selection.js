// @ts-check
/**
 * Tick boxes over a list's rows and the bar above the list: how many are ticked, the list's own
 * commands for them (the hazards ledger's 下达督办), and for leaders 催办 of every ticked item at
 * once, each one's outcome listed: urged, or why not (urged lately, settled meanwhile). The
 * hazards ledger and the notices list share it.
 */
import { api, asProblem, newIdempotencyKey } from './api.js';
import { h, replace } from './dom.js';
import { problemText } from './problem-text.js';
import { t } from './i18n.js';
import { hasRole } from './session.js';
import { badge } from './ui.js';

/**
 * @template {{ id: string }} T
 * @typedef {object} SelectionSpec
 * @property {'hazard' | 'notice'} kind what the rows are (the urge's path, the outcome's link)
 * @property {string} boxClass the tick boxes' class (e.g. `select-hazard`)
 * @property {(item: T) => string} nameOf how an item is named (its tick box, its outcome)
 * @property {(item: T) => boolean} selectable whether a row gets a tick box (open items only)
 * @property {string} urgeKey the urge button's text
 * @property {import('./types').Child[]} [controls] the list's own commands, before the urge
 * @property {(picked: Map<string, T>) => void} [onChange] told after every tick, to enable those commands
 */

/**
 * @template {{ id: string }} T
 * @param {SelectionSpec<T>} spec
 */
export function rowSelection({ kind, boxClass, nameOf, selectable, urgeKey, controls = [], onChange = () => {} }) {
  /** @type {Map<string, T>} */
  const picked = new Map();
  const count = h('span', { class: 'selection-count', role: 'status' }, t('ledger.selected', { count: 0 }));
  const urgeButton = hasRole('leader') ? h('button', { type: 'button', class: 'button button-secondary', disabled: true, 'data-action': 'urge-selected' }, t(urgeKey)) : null;
  const outcomes = h('div', { class: 'urge-outcomes', 'aria-live': 'polite' });
  const hrefOf = (/** @type {T} */ item) => `#/${kind}s/${encodeURIComponent(item.id)}`;
  const refresh = () => {
    count.textContent = t('ledger.selected', { count: picked.size });
    if (urgeButton) urgeButton.disabled = picked.size === 0;
    onChange(picked);
  };
  urgeButton?.addEventListener('click', async () => {
    urgeButton.disabled = true;
    const items = [...picked.values()];
    const list = h('ul', { class: 'plain-list' });
    replace(outcomes, h('h2', { class: 'outcomes-title' }, t('ledger.urgeOutcomes', { count: items.length })), list);
    // One at a time, each its own urge on its own trail; a refusal of one leaves the others be.
    for (const item of items) {
      const link = () => h('a', { href: hrefOf(item) }, nameOf(item));
      const line = h('li', { [`data-${kind}-id`]: item.id, 'data-outcome': 'pending' }, link(), ' ', h('span', { class: 'muted' }, t('ledger.urging')));
      list.append(line);
      try {
        await api.urge(kind, item.id, {}, newIdempotencyKey());
        line.dataset.outcome = 'urged';
        replace(line, link(), ' ', badge('moved', t('ledger.urged')));
      } catch (thrown) {
        line.dataset.outcome = 'refused';
        replace(line, link(), ' ', badge('not-moved', t('ledger.notUrged')), ' ', h('span', { class: 'muted' }, problemText(asProblem(thrown))));
      }
    }
    urgeButton.disabled = picked.size === 0;
  });
  return {
    picked,
    /** Shown only where there is something to do with a selection. */
    bar: controls.length || urgeButton ? h('div', { class: 'selection-bar card' }, count, ' ', controls, urgeButton ? [' ', urgeButton] : null, outcomes) : null,
    /** @param {T} item */
    box(item) {
      if (!selectable(item)) return null;
      return h('input', {
        type: 'checkbox',
        class: boxClass,
        'aria-label': t('ledger.selectItem', { name: nameOf(item) }),
        onChange: (e) => {
          if (e.target.checked) picked.set(item.id, item);
          else picked.delete(item.id);
          refresh();
        },
      });
    },
  };
}
