/**
 * Who answers for a hazard: the supervisor in charge and the enterprise's contact. Either can be
 * reassigned; the supervisor can also delegate (the delegate acts in the supervisor's place until
 * the delegation is withdrawn or replaced). Every change names both people and the reason.
 */
import type { Assignment, AssignmentCommand, HazardState } from './hazard-state';
import type { Refusal } from './refusal';

export { ASSIGNMENT_ROLES } from './hazard-state';
export type { Assignment, AssignmentCommand, AssignmentRole } from './hazard-state';




export function assignmentOf(state: Pick<HazardState, 'assignment'>): Assignment {
  return state.assignment ?? { supervisor: null, enterpriseContact: null, delegate: null };
}

export function checkAssignment(state: HazardState, cmd: AssignmentCommand): Refusal | null {
  if (state.status !== 'rectifying' && state.status !== 'under_review') {
    return { kind: 'not_allowed', message: `people can be reassigned only while the hazard is open; it is ${state.status}` };
  }
  if (!cmd.by) return { kind: 'invalid', field: 'by', message: 'the person making the change is required' };
  if (typeof cmd.reason !== 'string' || cmd.reason.trim() === '') return { kind: 'invalid', field: 'reason', message: 'a reason is required' };
  const current = assignmentOf(state);
  if (cmd.kind === 'reassign') {
    if (!cmd.to) return { kind: 'invalid', field: 'to', message: 'the new person is required' };
    const now = cmd.role === 'supervisor' ? current.supervisor : current.enterpriseContact;
    if (now === cmd.to) return { kind: 'invalid', field: 'to', message: `${cmd.to} is already the ${cmd.role.replace('_', ' ')}` };
    return null;
  }
  if (cmd.to !== null && cmd.to === current.supervisor) return { kind: 'invalid', field: 'to', message: 'the supervisor cannot delegate to themself' };
  if (cmd.to === null && current.delegate === null) return { kind: 'not_allowed', message: 'there is no delegation to withdraw' };
  return null;
}

/** The change, and who held the place before it. */
export function assign(state: HazardState, cmd: AssignmentCommand): { state: HazardState; from: string | null } {
  const current = assignmentOf(state);
  let next: Assignment;
  let from: string | null;
  if (cmd.kind === 'delegate') {
    from = current.delegate;
    next = { ...current, delegate: cmd.to };
  } else if (cmd.role === 'supervisor') {
    from = current.supervisor;
    // A delegation was the old supervisor's; it ends with their charge.
    next = { ...current, supervisor: cmd.to, delegate: null };
  } else {
    from = current.enterpriseContact;
    next = { ...current, enterpriseContact: cmd.to };
  }
  return { state: { ...state, assignment: next, seq: state.seq + 1 }, from };
}
