/**
 * A command refused, as every workflow says it: `not_allowed` when the case is in the wrong
 * state, `invalid` for bad input. The workflows raise it as a failure of the type named here; the
 * API maps the type (never the message) to 409 or 422.
 */
export interface Refusal {
  kind: 'not_allowed' | 'invalid';
  field?: string;
  /** The policy limit the command would break, e.g. `extension.maxCount`, and its value. */
  limit?: { name: string; value: number };
  message: string;
}

/** Failure types of refused commands, by refusal kind. */
export const REFUSAL_TYPES = { not_allowed: 'StepNotAllowed', invalid: 'InvalidCommand' } as const;
