import 'reflect-metadata';
import type { SubgraphDefinition } from '../shared/server/subgraph-definition';
import { createApplicationLoaders } from './application.loader';
import { applicationReference } from './application.reference';
import { ApplicationIntakeResolver, ApplicationResolver, PersonApplicationsResolver } from './application.resolver';
import { IntakeService } from './intake.service';
import { ApplicationService } from './application.service';
import { ApplicationStore } from './application.store';
import { applicationsMigrations } from './migrations';
import { ApplicationDutyResolver, RulesResolver } from './rules.resolver';
import { RulesService } from './rules.service';
import { demoRules } from '../shared/demo/demo-rules';

export interface ApplicationsServices {
  applications: ApplicationService;
  intake: IntakeService;
  rules: RulesService;
}

/** The applications registry: every kind of application, its workflow, deadlines and tracking. */
export const applicationsSubgraph: SubgraphDefinition<ApplicationsServices> = {
  name: 'applications',
  resolvers: [ApplicationResolver, ApplicationIntakeResolver, PersonApplicationsResolver, ApplicationDutyResolver, RulesResolver],
  referenceResolvers: { Application: applicationReference },
  migrations: applicationsMigrations,
  createServices(db, request) {
    const store = new ApplicationStore(db);
    const applications = new ApplicationService(store, createApplicationLoaders(store));
    return {
      applications,
      intake: new IntakeService(store, applications, request.graph, request.requestId, request.today),
      rules: new RulesService(request.today),
    };
  },
  async seedDemoData(db, histories) {
    await new ApplicationStore(db).insertMany(
      histories.flatMap((h) =>
        h.applications.map((application) => ({
          ...application,
          dueOn: demoRules.dueDate(application.type, application.submittedOn, application.processingWorkingDays),
        })),
      ),
    );
  },
};
