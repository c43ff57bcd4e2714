import { allowed, WORKFLOW, type ApplicationStatus, type WorkflowAction } from './workflow';

const STATUSES: ApplicationStatus[] = ['SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'REJECTED', 'ISSUED', 'WITHDRAWN'];

describe('the application workflow', () => {
  it.each([
    ['TAKE_FOR_REVIEW', ['SUBMITTED']],
    ['APPROVE', ['UNDER_REVIEW']],
    ['REJECT', ['UNDER_REVIEW']],
    ['ISSUE', ['APPROVED']],
    ['WITHDRAW', ['SUBMITTED', 'UNDER_REVIEW']],
  ] as [WorkflowAction, ApplicationStatus[]][])('%s is allowed from %j and from nothing else', (action, from) => {
    for (const status of STATUSES) expect(allowed(action, status)).toBe(from.includes(status));
  });

  it('leaves no way out of a final state', () => {
    for (const final of ['REJECTED', 'ISSUED', 'WITHDRAWN'] as ApplicationStatus[]) {
      for (const action of Object.keys(WORKFLOW) as WorkflowAction[]) expect(allowed(action, final)).toBe(false);
    }
  });
});
