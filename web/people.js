// @ts-check
/**
 * People as the pages name them: by display name (王建国), never by login name. The API answers
 * that carry login names carry `people` beside them, a map from login name to display name;
 * "system" (and the seed scripts' "seed") is the system's own steps.
 */
import { t } from './i18n.js';

/**
 * Actors that are the system rather than a person: its own steps, and the seed scripts that set up
 * the directory (scripts/seed-*.ts record their changes as "seed"). A person who happens to have
 * one of these login names is still named by their display name.
 */
const SYSTEM_ACTORS = new Set(['system', 'seed']);

/**
 * The display name of a login name, from the answer's `people`; the system's steps as the system;
 * otherwise the login name.
 * @param {Record<string, string> | null | undefined} people
 * @param {string | null | undefined} username
 */
export function personName(people, username) {
  if (!username) return t('empty');
  if (username === 'system') return t('event.system');
  const name = people && typeof people === 'object' ? people[username] : undefined;
  if (typeof name === 'string' && name) return name;
  return SYSTEM_ACTORS.has(username) ? t('event.system') : username;
}
