import 'reflect-metadata';
import type { SubgraphDefinition } from '../../platform/server/subgraph-definition';
import { callerOf } from '../../protocol/claims';
import { createApplicationLoaders } from './application.loader';
import { applicationReference } from './application.reference';
import {
  ApplicationIntakeResolver, ApplicationResolver, ApplicationStatisticsResolver, ApplicationWorkflowResolver, PersonApplicationsResolver,
} from './application.resolver';
import { IntakeService } from './intake.service';
import { WorkflowService } from './workflow.service';
import { startOutboxRelay } from './outbox-relay';
import { OutboxResolver } from './outbox.resolver';
import { OutboxService } from './outbox.service';
import { ApplicationService } from './application.service';
import { ApplicationStore } from './application.store';
import { OutboxStore } from './outbox.store';
import { applicationsMigrations } from './migrations';
import { ApplicationDutyResolver, RulesResolver } from './rules.resolver';
import { RulesService } from './rules.service';
import { demoRules } from '../../demo/demo-rules';
import type { DemoApplication } from '../../demo/world';
import { addDays } from '../../domain/rules/dates';
import { stateDuty } from '../../domain/rules/state-duty';
import type { ApplicationEventRow } from './application.store';

export interface ApplicationsServices {
  applications: ApplicationService;
  outbox: OutboxService;
  intake: IntakeService;
  workflow: WorkflowService;
  rules: RulesService;
}

/** The applications registry: every kind of application, its workflow, deadlines and tracking. */
export const applicationsSubgraph: SubgraphDefinition<ApplicationsServices> = {
  name: 'applications',
  callsGraph: true,
  resolvers: [ApplicationResolver, ApplicationStatisticsResolver, ApplicationIntakeResolver, ApplicationWorkflowResolver, PersonApplicationsResolver, ApplicationDutyResolver, RulesResolver, OutboxResolver],
  referenceResolvers: { Application: applicationReference },
  migrations: applicationsMigrations,
  createServices(db, request) {
    const store = new ApplicationStore(db);
    const applications = new ApplicationService(store, createApplicationLoaders(store));
    // Steps and submissions are recorded under the verified caller when there is one (a write
    // always comes from one officer: see refuseJoinedWrites).
    const caller = callerOf(request.claims);
    return {
      applications,
      outbox: new OutboxService(new OutboxStore(db, request.answerNotKept)),
      intake: new IntakeService(db, store, applications, request.graph, request.requestId, request.today, caller),
      workflow: new WorkflowService(db, applications, request.graph, request.requestId, request.today, caller),
      rules: new RulesService(request.today),
    };
  },
  startBackgroundWork: (dependencies) => startOutboxRelay(dependencies),
  async seedDemoData(db, histories) {
    const store = new ApplicationStore(db);
    const applications = histories.flatMap((h) => h.applications);
    await store.insertMany(
      applications.map((application) => ({
        ...application,
        dueOn: demoRules.dueDate(application.type, application.submittedOn, application.processingWorkingDays),
        ...demoAssessment(application),
      })),
    );
    await store.insertEvents(applications.flatMap(demoEvents));
  },
};

/**
 * PAY-04: the demo bills an issued application's duty, and where the tables leave its amount open an
 * officer assessed it first (demoRules.stateDuty, on the day the bill is made): the application records
 * that assessment, as assessStateDuty would have.
 */
function demoAssessment(application: DemoApplication): { assessedDuty: string | null; dutyAssessedOn: string | null } {
  const { type, requestedDurationMonths, processingWorkingDays, submittedOn, status } = application;
  const open = ['RANGE', 'UNKNOWN'].includes(stateDuty(type, requestedDurationMonths, processingWorkingDays, submittedOn).outcome);
  const assessed = open ? demoRules.stateDuty(type, requestedDurationMonths, processingWorkingDays, submittedOn, status === 'ISSUED') : null;
  return assessed ? { assessedDuty: assessed.amount.toFixed(2), dutyAssessedOn: submittedOn } : { assessedDuty: null, dutyAssessedOn: null };
}

/** The steps that brought a demo application to its status, as the workflow would have recorded them. */
function demoEvents(application: DemoApplication): ApplicationEventRow[] {
  const event = (fromStatus: string | null, toStatus: string, actor: string, occurredOn: string, note: string | null = null) => ({
    applicationId: application.id, fromStatus, toStatus, actor, note, occurredOn,
  });
  const officer = `officer:${application.office ?? 'HQ'}`;
  const reviewOn = addDays(application.submittedOn, 1) < (application.decidedOn ?? '9999-12-31') ? addDays(application.submittedOn, 1) : application.submittedOn;
  const events = [event(null, 'SUBMITTED', `applicant via ${application.channel}`, application.submittedOn)];
  if (application.status === 'WITHDRAWN') return [...events, event('SUBMITTED', 'WITHDRAWN', 'applicant', application.decidedOn!)];
  if (application.status === 'SUBMITTED') return events;
  events.push(event('SUBMITTED', 'UNDER_REVIEW', officer, reviewOn));
  if (application.status === 'UNDER_REVIEW') return events;
  if (application.status === 'REJECTED') return [...events, event('UNDER_REVIEW', 'REJECTED', officer, application.decidedOn!, application.decisionNote)];
  events.push(event('UNDER_REVIEW', 'APPROVED', officer, application.decidedOn!));
  if (application.status === 'ISSUED') events.push(event('APPROVED', 'ISSUED', officer, application.decidedOn!));
  return events;
}
