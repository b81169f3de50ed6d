// @ts-check
/**
 * People as the pages name them: by display name (王建国), never by login name. The API answers
 * that carry login names carry `people` beside them, a map from login name to display name;
 * "system" is the system's own steps.
 */
import { t } from './i18n.js';

/**
 * The display name of a login name, from the answer's `people` (the login name when unknown).
 * @param {Record<string, string> | null | undefined} people
 * @param {string | null | undefined} username
 */
export function personName(people, username) {
  if (!username) return t('empty');
  if (username === 'system') return t('event.system');
  const name = people && typeof people === 'object' ? people[username] : undefined;
  return typeof name === 'string' && name ? name : username;
}
