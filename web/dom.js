// @ts-check
/**
 * Building the page from data. Every string becomes a text node or an attribute value, never
 * markup: nothing the API returns can turn into HTML. (There is no innerHTML in these pages.)
 */

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'required', 'multiple', 'readOnly']);

/**
 * h('a', { href: '#/', class: 'link', onClick: fn }, 'text', child, [more, children])
 * Props: `class`, on<Event> listeners, form-control properties, and attributes (null/false: left out).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {import('./types').Props | null} [props]
 * @param {...import('./types').Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), /** @type {EventListener} */ (value));
    else if (PROPERTIES.has(name)) /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (el))[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/**
 * @template {Element} E
 * @param {E} el
 * @param {import('./types').Child[]} children
 * @returns {E}
 */
export function append(el, children) {
  for (const child of /** @type {unknown[]} */ (children).flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === '') continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * Replace everything inside el.
 * @template {Element} E
 * @param {E} el
 * @param {...import('./types').Child} children
 */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let ids = 0;
/**
 * An id unique on the page, for label/for and aria-describedby.
 * @param {string} [prefix]
 */
export function uid(prefix = 'f') {
  ids += 1;
  return `${prefix}-${ids}`;
}
