/**
 * Extensions (延期): while rectifying, the enterprise may ask to move the round's deadline, with a
 * reason; a supervisor approves (the requested date, or an earlier one) or denies with a reason.
 * The policy limits how often (per round) and how far (counted from the deadline the round was
 * ordered with), and a request must come early enough before the deadline ends.
 *
 * What an approval does to time: the deadline moves, and the round's steps still to come are
 * planned again against the new deadline, as a new segment of the round keyed `round-R/ext-N/…`
 * (N: the round's Nth granted extension), so every step key stays unique per hazard. The new
 * segment starts at the approval, with the rule every round start follows: a reminder whose new
 * time has already passed is left out (so a reminder sent before the approval is not sent again
 * for the same offset unless its new time is still ahead — then it is sent, since "3 days left"
 * is true again), while the overdue moment and the escalations are all planned against the new
 * deadline. An approval that arrives after the old deadline has passed (the request was made in
 * time, the decision came late) lifts the hazard out of overdue: the ladder restarts from the
 * bottom, as after a rejection; what was already sent stays on the record.
 *
 * A submission while a request is pending lets the request lapse: the evidence is in, so there is
 * no deadline left to move. A rejection starts a new round with a fresh allowance.
 *
 * Pure and deterministic: the workflow, the API and the tests share it.
 */
import type { ExtensionDecisionCommand, ExtensionRequestCommand, ExtensionState, GrantedExtension, HazardState } from './hazard-state';
import { extensionPolicyOf } from './policy-rules';
import type { ExtensionPolicy } from './policy-types';
import type { Refusal } from './refusal';
import { extensionSegment } from './schedule';
import { addDays, daysBetween, dueInstant, isIsoDate, shanghaiDate, type IsoDate } from './shanghai-time';

export type { ExtensionDecisionCommand, ExtensionRequest, ExtensionRequestCommand, ExtensionState, GrantedExtension } from './hazard-state';
export { DEFAULT_EXTENSION_POLICY, extensionPolicyOf } from './policy-rules';








/** A round's extension record at its start: nothing asked, nothing granted in it yet. */
export function roundExtensions(deadline: IsoDate, earlier?: ExtensionState): ExtensionState {
  return { originalDeadline: deadline, requests: 0, pending: null, granted: earlier ? [...earlier.granted] : [] };
}

/** The extension record of a state; a state carried over from before extensions existed has none yet. */
export function extensionsOf(state: Pick<HazardState, 'deadline'> & { extension?: ExtensionState }): ExtensionState {
  return state.extension ?? roundExtensions(state.deadline);
}

export function grantedThisRound(state: HazardState): GrantedExtension[] {
  return extensionsOf(state).granted.filter((g) => g.round === state.round);
}

/** Calendar days the current deadline lies past the deadline the round was ordered with. */
export function daysGrantedThisRound(state: HazardState): number {
  return daysBetween(extensionsOf(state).originalDeadline, state.deadline);
}

/** The last instant a request is still in time: `minLeadDays` calendar days before the deadline ends. */
export function requestClosesAt(deadline: IsoDate, limits: ExtensionPolicy): number {
  return dueInstant(addDays(deadline, -limits.minLeadDays));
}

/** The latest date the round's deadline may be extended to. */
export function latestExtendedDeadline(state: HazardState): IsoDate {
  return addDays(extensionsOf(state).originalDeadline, extensionPolicyOf(state.policy).maxTotalDays);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const LIMIT_CODES = { maxCount: 'extension-max-count', minLeadDays: 'extension-min-lead-days', maxTotalDays: 'extension-max-total-days' } as const;

function limitRefusal(name: keyof ExtensionPolicy, value: number, message: string): Refusal {
  return { kind: 'invalid', field: 'requestedDeadline', code: LIMIT_CODES[name], limit: { name: `extension.${name}`, value }, message };
}

export function checkExtensionRequest(state: HazardState, cmd: ExtensionRequestCommand, now: number): Refusal | null {
  if (state.status !== 'rectifying') {
    return { kind: 'not_allowed', code: 'extension-not-rectifying', message: `an extension can be asked for only while rectifying; the hazard is ${state.status}` };
  }
  const ext = extensionsOf(state);
  if (ext.pending) {
    return { kind: 'not_allowed', code: 'extension-pending', message: `an extension request (to ${ext.pending.requestedDeadline}) is already awaiting a decision` };
  }
  if (!cmd.by) return { kind: 'invalid', field: 'by', message: 'the requesting person is required' };
  if (typeof cmd.reason !== 'string' || cmd.reason.trim() === '') {
    return { kind: 'invalid', field: 'reason', message: 'an extension request needs a reason' };
  }
  if (typeof cmd.requestedDeadline !== 'string' || !isIsoDate(cmd.requestedDeadline)) {
    return { kind: 'invalid', field: 'requestedDeadline', message: 'the requested deadline must be a date (YYYY-MM-DD)' };
  }
  if (cmd.requestedDeadline <= state.deadline) {
    return { kind: 'invalid', field: 'requestedDeadline', code: 'extension-deadline-not-later', message: `the requested deadline must be later than the current deadline ${state.deadline}` };
  }
  const limits = extensionPolicyOf(state.policy);
  const granted = grantedThisRound(state).length;
  if (granted >= limits.maxCount) {
    return limitRefusal(
      'maxCount',
      limits.maxCount,
      limits.maxCount === 0
        ? 'the policy grants no extensions (extension.maxCount is 0)'
        : `at most ${plural(limits.maxCount, 'extension')} per round (extension.maxCount); ${granted} already granted`,
    );
  }
  if (now >= requestClosesAt(state.deadline, limits)) {
    return limitRefusal(
      'minLeadDays',
      limits.minLeadDays,
      limits.minLeadDays === 0
        ? `an extension must be asked for before the deadline ${state.deadline} ends (extension.minLeadDays 0)`
        : `an extension must be asked for at least ${plural(limits.minLeadDays, 'day')} before the deadline ${state.deadline} ends (extension.minLeadDays)`,
    );
  }
  const total = daysBetween(ext.originalDeadline, cmd.requestedDeadline);
  if (total > limits.maxTotalDays) {
    return limitRefusal(
      'maxTotalDays',
      limits.maxTotalDays,
      `extensions may move this round's deadline at most ${plural(limits.maxTotalDays, 'day')} past ${ext.originalDeadline} ` +
        `(extension.maxTotalDays), so no later than ${latestExtendedDeadline(state)}; ${cmd.requestedDeadline} is ${plural(total, 'day')} past it`,
    );
  }
  return null;
}

export function requestExtension(state: HazardState, cmd: ExtensionRequestCommand, now: number): HazardState {
  const ext = extensionsOf(state);
  const number = ext.requests + 1;
  return {
    ...state,
    extension: {
      ...ext,
      requests: number,
      pending: { number, requestedDeadline: cmd.requestedDeadline, reason: cmd.reason.trim(), by: cmd.by, at: now },
    },
    seq: state.seq + 1,
  };
}

/** The deadline an approval sets: the supervisor's date, or the one requested. */
export function approvedDeadline(state: HazardState, cmd: Extract<ExtensionDecisionCommand, { decision: 'approve' }>): IsoDate | null {
  return cmd.newDeadline ?? extensionsOf(state).pending?.requestedDeadline ?? null;
}

export function checkExtensionDecision(state: HazardState, cmd: ExtensionDecisionCommand, now: number): Refusal | null {
  const pending = extensionsOf(state).pending;
  if (state.status !== 'rectifying' || !pending) {
    return { kind: 'not_allowed', code: 'extension-no-request', message: `no extension request is awaiting a decision; the hazard is ${state.status}` };
  }
  if (!cmd.by) return { kind: 'invalid', field: 'by', message: 'the deciding person is required' };
  if (cmd.decision === 'deny') {
    if (typeof cmd.reason !== 'string' || cmd.reason.trim() === '') {
      return { kind: 'invalid', field: 'reason', message: 'a denial needs a reason' };
    }
    return null;
  }
  if (cmd.decision !== 'approve') return { kind: 'invalid', field: 'decision', message: 'the decision is approve or deny' };
  if (cmd.newDeadline !== undefined) {
    if (typeof cmd.newDeadline !== 'string' || !isIsoDate(cmd.newDeadline)) {
      return { kind: 'invalid', field: 'newDeadline', message: 'the new deadline must be a date (YYYY-MM-DD)' };
    }
    if (cmd.newDeadline <= state.deadline) {
      return { kind: 'invalid', field: 'newDeadline', message: `the new deadline must be later than the current deadline ${state.deadline}` };
    }
    if (cmd.newDeadline > pending.requestedDeadline) {
      return { kind: 'invalid', field: 'newDeadline', code: 'extension-beyond-request', message: `the new deadline cannot be later than the one requested, ${pending.requestedDeadline}` };
    }
  }
  const to = approvedDeadline(state, cmd)!;
  if (to < shanghaiDate(now)) {
    return {
      kind: 'invalid',
      field: 'newDeadline',
      message: `the new deadline ${to} is already past; approve a date from today on or deny the request`,
    };
  }
  return null;
}

export function decideExtension(state: HazardState, cmd: ExtensionDecisionCommand, now: number): HazardState {
  const ext = extensionsOf(state);
  const pending = ext.pending!;
  if (cmd.decision === 'deny') {
    return { ...state, extension: { ...ext, pending: null }, seq: state.seq + 1 };
  }
  const to = approvedDeadline(state, cmd)!;
  const granted: GrantedExtension = {
    round: state.round,
    number: grantedThisRound(state).length + 1,
    request: pending.number,
    from: state.deadline,
    to,
    requestedDeadline: pending.requestedDeadline,
    reason: pending.reason,
    requestedBy: pending.by,
    approvedBy: cmd.by,
    at: now,
  };
  return {
    ...state,
    deadline: to,
    // The steps of the new segment have keys of their own; the ladder starts from the bottom.
    fired: [],
    overdueSince: null,
    escalationLevel: 0,
    extension: { ...ext, pending: null, granted: [...ext.granted, granted] },
    seq: state.seq + 1,
  };
}

/** The segment of the current round the steps are planned for, and when it began. */
export function currentSegment(state: HazardState): { segment: string | undefined; startedAt: number } {
  const last = grantedThisRound(state).at(-1);
  return last ? { segment: extensionSegment(last.number), startedAt: last.at } : { segment: undefined, startedAt: state.roundStartedAt };
}

/** The key prefix of a request's records: `round-R/extension-request-N`. */
export function requestStepName(number: number): string {
  return `extension-request-${number}`;
}
