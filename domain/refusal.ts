/**
 * A command refused, as every workflow says it: `not_allowed` when the case is in the wrong
 * state, `invalid` for bad input. The workflows raise it as a failure of the type named here; the
 * API maps the type (never the message) to 409 or 422, and the `code` (when the refusal names
 * one) to the problem's stable code, so the pages can say it in the reader's language.
 */
export interface Refusal {
  kind: 'not_allowed' | 'invalid';
  field?: string;
  /** The policy limit the command would break, e.g. `extension.maxCount`, and its value. */
  limit?: { name: string; value: number };
  message: string;
  /** A stable name of this particular refusal; without one the kind's generic code applies. */
  code?: RefusalCode;
}

/** Failure types of refused commands, by refusal kind. */
export const REFUSAL_TYPES = { not_allowed: 'StepNotAllowed', invalid: 'InvalidCommand' } as const;

/**
 * The refusals people meet most, by stable code. Codes are never renamed: clients (the pages'
 * dictionary among them) key their texts by them.
 */
export const REFUSAL_CODES = [
  // the five-point plan (五落实) and acceptance of major hazards
  'plan-major-only',
  'plan-not-rectifying',
  'plan-required',
  'plan-deadline-after-rectification',
  'acceptance-major-only',
  'acceptance-not-submitted',
  'acceptance-party-not-called',
  'acceptances-outstanding',
  // the rectification loop
  'submission-not-rectifying',
  'evidence-required',
  'review-not-submitted',
  'deadline-in-past',
  'deadline-too-far',
  // extensions (延期)
  'extension-not-rectifying',
  'extension-pending',
  'extension-deadline-not-later',
  'extension-max-count',
  'extension-min-lead-days',
  'extension-max-total-days',
  'extension-no-request',
  'extension-beyond-request',
  // urges (催办)
  'urge-quiet-hours',
  // suspensions (停产整顿)
  'suspension-ended',
  'resumption-pending',
  'resumption-self-check-failed',
  'resumption-no-request',
  'suspension-max-days',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];
