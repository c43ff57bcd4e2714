import type { ApplicationType } from '../../domain/rules';

export type ApplicationStatus = 'SUBMITTED' | 'UNDER_REVIEW' | 'APPROVED' | 'REJECTED' | 'ISSUED' | 'WITHDRAWN';
export type WorkflowAction = 'TAKE_FOR_REVIEW' | 'APPROVE' | 'REJECT' | 'ISSUE' | 'WITHDRAW';

/**
 * The application workflow as data: which step leads from which states to which. Anything else is an
 * invalid transition. REJECTED, ISSUED and WITHDRAWN are final.
 */
export const WORKFLOW: Record<WorkflowAction, { from: readonly ApplicationStatus[]; to: ApplicationStatus }> = {
  TAKE_FOR_REVIEW: { from: ['SUBMITTED'], to: 'UNDER_REVIEW' },
  APPROVE: { from: ['UNDER_REVIEW'], to: 'APPROVED' },
  REJECT: { from: ['UNDER_REVIEW'], to: 'REJECTED' },
  ISSUE: { from: ['APPROVED'], to: 'ISSUED' },
  WITHDRAW: { from: ['SUBMITTED', 'UNDER_REVIEW'], to: 'WITHDRAWN' },
};

export function allowed(action: WorkflowAction, from: ApplicationStatus): boolean {
  return WORKFLOW[action].from.includes(from);
}

/** The record an issued application produces in the permits registry; null for citizenship decisions. */
export const PERMIT_KIND_OF: Record<ApplicationType, string | null> = {
  WORK_PERMIT: 'WORK_PERMIT',
  WORK_PERMIT_EXTENSION: 'WORK_PERMIT',
  TEMPORARY_RESIDENCE: 'TEMPORARY_RESIDENCE_PERMIT',
  TEMPORARY_RESIDENCE_EXTENSION: 'TEMPORARY_RESIDENCE_PERMIT',
  PERMANENT_RESIDENCE: 'PERMANENT_RESIDENCE_PERMIT',
  TEMPORARY_STAY_EXTENSION: 'STAY_EXTENSION',
  REGISTRATION_BY_PLACE_OF_STAY: 'REGISTRATION_BY_PLACE_OF_STAY',
  E_VISA: 'E_VISA',
  CITIZENSHIP_ADMISSION: null,
  CITIZENSHIP_RESTORATION: null,
  CITIZENSHIP_TERMINATION: null,
};
