import 'reflect-metadata';
import { openDatabase } from '../platform/db/database';
import { migrate } from '../platform/db/migrate';
import type { DemoHistory } from '../demo/world';
import { permitsSubgraph } from '../subgraphs/permits/app';
import { LegalService } from '../subgraphs/permits/legal.service';
import { createPermitLoaders } from '../subgraphs/permits/permit.loader';
import { PermitStore } from '../subgraphs/permits/permit.store';
import { createPersonFactLoaders } from '../subgraphs/permits/person-fact.loader';
import { PersonFactStore } from '../subgraphs/permits/person-fact.store';
import type { CrossingDirection, FineOffence, Person } from '../subgraphs/permits/person.type';

/**
 * The rules section of `npm run bench` (issue 20): how often each decision the graph answers about a
 * person is UNDETERMINED over the demo population. The answers come from the permits registry's own
 * LegalService, over its own stores and loaders, on a database seeded as the registry seeds it; the
 * person's crossings, citizenship and outstanding fines are what the gateway would bring (`@requires`).
 */

/** A decision about a person, and whether the demo records every fact it reads. */
export interface RuleDecision {
  key: string;
  title: string;
  /** False where no registry records a fact the decision needs: its UNDETERMINED answers are expected. */
  factsRecorded: boolean;
  /** Why not, where factsRecorded is false. */
  note?: string;
  /** The outcomes of this decision for one person (several for stay periods: one per period). */
  answer(legal: LegalService, person: Person): Promise<string[]>;
}

export const RULE_DECISIONS: readonly RuleDecision[] = [
  {
    key: 'stayPeriods',
    title: 'stay periods (STAY-01..03), one answer per period',
    factsRecorded: true,
    answer: async (legal, person) => (await legal.stayPeriods(person)).map((period) => period.outcome),
  },
  {
    key: 'workAuthorization',
    title: 'work authorization (WP-01, WP-EX-01..21)',
    factsRecorded: true,
    answer: async (legal, person) => [(await legal.workAuthorization(person)).outcome],
  },
  {
    key: 'permanentResidence',
    title: 'permanent residence eligibility (PR-01, PR-GR, PR-RF)',
    factsRecorded: true,
    answer: async (legal, person) => [(await legal.permanentResidenceEligibility(person, null)).outcome],
  },
  {
    key: 'citizenshipAdmission',
    title: 'citizenship admission (CIT-01)',
    factsRecorded: true,
    answer: async (legal, person) => [(await legal.citizenshipEligibility(person)).admission.outcome],
  },
  {
    key: 'citizenshipRestoration',
    title: 'citizenship restoration (CIT-02)',
    factsRecorded: false,
    note: 'former citizenship and the article 14 restrictions are recorded by no registry',
    answer: async (legal, person) => [(await legal.citizenshipEligibility(person)).restoration.outcome],
  },
];

export interface UndeterminedShare {
  key: string;
  title: string;
  factsRecorded: boolean;
  note: string | null;
  answers: number;
  undetermined: number;
  /** undetermined / answers, 0 when there are no answers. */
  share: number;
  outcomes: Record<string, number>;
}

/** The person as the gateway brings it to the permits registry: citizenship, crossings, fines not paid (FINE-02). */
export function personOf(history: DemoHistory): Person {
  const paid = new Set(history.payments.filter((payment) => payment.fineId && payment.status === 'PAID').map((payment) => payment.fineId));
  return {
    id: history.person.id,
    citizenship: history.person.citizenship,
    borderCrossings: history.crossings.map(({ direction, date }) => ({ direction: direction as CrossingDirection, date })),
    outstandingFines: history.fines
      .filter((fine) => !paid.has(fine.id))
      .map((fine) => ({ id: fine.id, offence: fine.offence as FineOffence, issuedOn: fine.issuedOn, amount: { amount: fine.amount, currency: fine.currency } })),
  } as Person;
}

/**
 * Every decision of RULE_DECISIONS for every person of `histories` on `day`, `batchSize` persons per
 * request (a LegalService and its loaders each, as the registry makes them per request).
 */
export async function undeterminedShares(histories: readonly DemoHistory[], day: string, batchSize = 500): Promise<UndeterminedShare[]> {
  const db = await openDatabase({});
  try {
    await migrate(db, permitsSubgraph.migrations);
    await db.transaction((tx) => permitsSubgraph.seedDemoData!(tx, histories));
    const tallies = RULE_DECISIONS.map(() => ({} as Record<string, number>));
    for (let start = 0; start < histories.length; start += batchSize) {
      const legal = new LegalService(createPermitLoaders(new PermitStore(db)), createPersonFactLoaders(new PersonFactStore(db)), day);
      const persons = histories.slice(start, start + batchSize).map(personOf);
      const answers = await Promise.all(RULE_DECISIONS.map((decision) => Promise.all(persons.map((person) => decision.answer(legal, person)))));
      answers.forEach((perPerson, index) => {
        for (const outcome of perPerson.flat()) tallies[index][outcome] = (tallies[index][outcome] ?? 0) + 1;
      });
    }
    return RULE_DECISIONS.map((decision, index) => {
      const outcomes = tallies[index];
      const answers = Object.values(outcomes).reduce((sum, count) => sum + count, 0);
      const undetermined = outcomes.UNDETERMINED ?? 0;
      return {
        key: decision.key,
        title: decision.title,
        factsRecorded: decision.factsRecorded,
        note: decision.note ?? null,
        answers,
        undetermined,
        share: answers === 0 ? 0 : undetermined / answers,
        outcomes,
      };
    });
  } finally {
    await db.close();
  }
}

/** The section as a markdown table. */
export function undeterminedTable(shares: readonly UndeterminedShare[]): string {
  const rows = shares.map((share) =>
    [
      share.title,
      share.answers.toLocaleString('en'),
      share.undetermined.toLocaleString('en'),
      `${(share.share * 100).toFixed(2)} %`,
      share.factsRecorded ? 'yes' : `no: ${share.note}`,
      Object.entries(share.outcomes)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([outcome, count]) => `${outcome} ${count.toLocaleString('en')}`)
        .join(', '),
    ].join(' | '),
  );
  return ['| decision | answers | UNDETERMINED | share | facts recorded by the demo | outcomes |', '| --- | --- | --- | --- | --- | --- |', ...rows.map((row) => `| ${row} |`)].join('\n');
}
