// @ts-check
/**
 * What a problem says to the reader, in the reader's language. The API names every problem by a
 * stable `code` (and each refused field by its own); its English title and detail are for
 * developers and are never shown. A code this dictionary lacks falls back to a text per HTTP
 * status, then to a generic one. Problems found here (before sending) carry their own texts.
 */
import { has, t } from './i18n.js';

/** Codes that say only what kind of problem it is, not why a field was refused. */
const GENERIC = new Set(['invalid-request', 'unprocessable', 'step-not-allowed', 'bad-request']);

/**
 * The sentence that says what went wrong.
 * @param {import('./types').ProblemLike} problem
 */
export function problemText(problem) {
  if (!problem.fromServer) return problem.title || (problem.status > 0 ? statusText(problem.status) : '');
  if (problem.code && has(`problem.${problem.code}`)) return t(`problem.${problem.code}`);
  return statusText(problem.status);
}

/**
 * A second line for problems found here (e.g. a hint); none for the server's.
 * @param {import('./types').ProblemLike} problem
 */
export function problemHint(problem) {
  return problem.fromServer ? '' : problem.detail || '';
}

/** @param {number} status */
function statusText(status) {
  return has(`problem.status.${status}`) ? t(`problem.status.${status}`) : t(status >= 500 ? 'problem.status.5xx' : 'problem.status.4xx');
}

/**
 * Why one field was refused: the field's own code, the refusal's code, or a generic text.
 * @param {import('./types').FieldError} error
 * @param {import('./types').ProblemLike} problem
 */
export function fieldProblemText(error, problem) {
  if (!problem.fromServer) return error.message;
  const code = error.code;
  let text = t('fieldProblem.invalid');
  if (code && has(`fieldProblem.${code}`)) text = t(`fieldProblem.${code}`);
  else if (code && has(`problem.${code}`)) text = t(`problem.${code}`);
  // A field named by a particular problem (unknown-enterprise on enterpriseId) is why it was refused.
  else if (!code && problem.code && !GENERIC.has(problem.code) && has(`problem.${problem.code}`)) text = t(`problem.${problem.code}`);
  // An upload's refusal names the file it concerns.
  return error.file ? t('fieldProblem.file', { file: error.file, text }) : text;
}
