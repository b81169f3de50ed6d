// @ts-check
/**
 * What a person has open and typed on a page, carried over when the page is drawn again (fresh
 * data after a refusal, a sign-in in another tab, a change of language): the command forms left
 * open, the fields they changed and where the cursor was. A form whose command is under way or
 * has just been done (aria-busy) is not carried over: it is finished, and is drawn afresh.
 */

/** Controls the person changed (typed, picked, ticked) since they were drawn. */
const edited = new WeakSet();
for (const type of ['input', 'change']) document.addEventListener(type, (e) => e.target instanceof Element && edited.add(e.target), true);

/** @typedef {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} Control */

/**
 * Where a control sits: its command (details[data-command]) or its form (form[data-form]).
 * @param {Element} el
 */
function placeOf(el) {
  const command = el.closest('details[data-command]');
  if (command) return `details[data-command="${CSS.escape(command.getAttribute('data-command') ?? '')}"]`;
  const form = el.closest('form[data-form]');
  return form ? `form[data-form="${CSS.escape(form.getAttribute('data-form') ?? '')}"]` : null;
}

/**
 * The selector of a control within the page: its place, its name, and for a box its value.
 * @param {Control} c
 */
function selectorOf(c) {
  const place = placeOf(c);
  if (!place || !c.name || c.closest('form[aria-busy="true"]')) return null;
  if (c instanceof HTMLInputElement && (c.type === 'file' || c.type === 'password' || c.type === 'hidden')) return null;
  const boxed = c instanceof HTMLInputElement && (c.type === 'checkbox' || c.type === 'radio');
  return `${place} [name="${CSS.escape(c.name)}"]${boxed ? `[value="${CSS.escape(c.value)}"]` : ''}`;
}

/**
 * Notes what is open and changed under `root` now; the function returned puts it back into the
 * page drawn in its place (`next`), wherever the same command or form is there again.
 * @param {Element} root
 * @returns {(next: Element) => void}
 */
export function keepDraft(root) {
  const open = [...root.querySelectorAll('details[data-command][open]')]
    .filter((d) => !d.querySelector('form[aria-busy="true"]'))
    .map((d) => `details[data-command="${CSS.escape(d.getAttribute('data-command') ?? '')}"]`);
  /** @type {Array<{selector: string, value: string, checked: boolean}>} */
  const values = [];
  for (const c of /** @type {NodeListOf<Control>} */ (root.querySelectorAll('input, textarea, select'))) {
    const selector = edited.has(c) ? selectorOf(c) : null;
    if (selector) values.push({ selector, value: c.value, checked: c instanceof HTMLInputElement && c.checked });
  }
  const active = document.activeElement && root.contains(document.activeElement) ? selectorOf(/** @type {Control} */ (document.activeElement)) : null;
  return (next) => {
    for (const selector of open) {
      const d = next.querySelector(selector);
      if (d instanceof HTMLDetailsElement) d.open = true;
    }
    for (const { selector, value, checked } of values) {
      const c = /** @type {Control | null} */ (next.querySelector(selector));
      if (!c) continue;
      if (c instanceof HTMLInputElement && (c.type === 'checkbox' || c.type === 'radio')) c.checked = checked;
      else c.value = value;
      edited.add(c);
    }
    const focus = active ? /** @type {HTMLElement | null} */ (next.querySelector(active)) : null;
    focus?.focus();
  };
}
