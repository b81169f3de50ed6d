// @ts-check
/**
 * Names of the regions and people the figures mention, remembered for the tab (sessionStorage)
 * so a breadcrumb or a filter chip can name what an id stands for. A region not yet seen is asked
 * for once (the figures answer names their node); a person not seen keeps their id.
 */
import { api } from './api.js';

const STORAGE_KEY = 'duban.figureNames';
let names = load();

function load() {
  try {
    const raw = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}');
    return raw && typeof raw === 'object' ? raw : {};
  } catch {
    return {};
  }
}

function save() {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(names));
  } catch {
    // storage full or refused: the names last for this page only
  }
}

/**
 * Remember what `id` of this kind (region, leader, supervisor) is called.
 * @param {string} kind
 * @param {string | null | undefined} id
 * @param {string | null | undefined} name
 */
export function remember(kind, id, name) {
  if (!id || !name || names[`${kind}:${id}`] === name) return;
  names[`${kind}:${id}`] = name;
  save();
}

/**
 * @param {string} kind
 * @param {string} id
 */
export function knownName(kind, id) {
  return names[`${kind}:${id}`] ?? null;
}

/**
 * A region's name: remembered, or asked of the API (null when out of reach or not asked for).
 * @param {string} id
 */
export async function regionName(id) {
  const known = knownName('region', id);
  if (known) return known;
  try {
    const answer = await api.figures('notices', { region: id });
    remember('region', id, answer.region?.name);
    return answer.region?.name ?? null;
  } catch {
    return null;
  }
}
