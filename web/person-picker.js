// @ts-check
/**
 * A choice of the people who can take a place on a hazard (its supervisor, a delegate, the
 * enterprise contact), by name, post and jurisdiction, from the same rule the command is checked
 * by: a reassignment names someone who can take it, not a user name typed from memory.
 */
import { api } from './api.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { label } from './ui.js';

/**
 * @param {string} hazardId
 * @param {{ place: 'supervisor' | 'enterprise_contact', exclude?: Array<string | null>, none?: string }} options
 *   `exclude`: people who hold the place already; `none`: the label of an empty choice, when leaving it empty means something.
 * @param {import('./types').Props} attrs the field's attributes (name, id, aria-describedby…)
 */
export function personPicker(hazardId, { place, exclude = [], none }, attrs) {
  const select = /** @type {HTMLSelectElement & { load: (place: string) => Promise<void> }} */ (h('select', { ...attrs, 'data-picker': 'person' }));
  let generation = 0;
  select.load = async (which) => {
    const mine = ++generation;
    select.disabled = true;
    replace(select, h('option', { value: '' }, t('picker.loading')));
    try {
      const { items } = await api.hazardAssignees(hazardId, which);
      if (mine !== generation) return;
      const people = items.filter((p) => !exclude.includes(p.username));
      const head = none !== undefined ? h('option', { value: '' }, none) : h('option', { value: '', disabled: true, selected: true }, people.length ? t('picker.choose') : t('picker.nobody'));
      replace(
        select,
        head,
        ...people.map((p) =>
          h('option', { value: p.username }, p.post ? t('picker.person', { name: p.displayName, post: label('post', p.post), region: p.regionName }) : t('picker.personNoPost', { name: p.displayName, region: p.regionName })),
        ),
      );
    } catch {
      if (mine === generation) replace(select, h('option', { value: '' }, t('picker.failed')));
    } finally {
      if (mine === generation) select.disabled = false;
    }
  };
  void select.load(place);
  return select;
}
