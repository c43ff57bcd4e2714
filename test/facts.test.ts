import { documentChecklist } from '../domain/rules';
import { eventually, expectData, startGraph, TODAY, type RunningGraph } from './harness';

const OFFICER = 'Leyla Aliyeva';
const CITIZENSHIP_DOCUMENTS = documentChecklist('CITIZENSHIP_ADMISSION')!.required;

interface Check {
  ruleId: string;
  result: string;
}
interface Reason {
  ruleId: string;
  message: { az: string; en: string };
}

/** Issue 20: the facts the rules need are recorded through the graph, and each decision moves with them. */
describe('facts with evidence, recorded through the gateway, move the decisions (issue 20)', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph({ persons: 40 });
  }, 180_000);
  afterAll(() => graph.stop());

  const officer = () => graph.caller('migration-officer', 'CASE_PROCESSING', { subject: OFFICER });
  const run = async (query: string, variables: Record<string, unknown> = {}) => expectData(await graph.query(query, variables, await officer()));
  let keys = 0;
  const recordFact = (input: Record<string, unknown>) =>
    run(`mutation($input: RecordPersonFactInput!) { recordPersonFact(input: $input) { id ruleId recordedBy source { kind } } }`, {
      input: { validFrom: '2026-01-05', established: true, idempotencyKey: `e2e-fact-${(keys += 1)}`, ...input },
    });
  const reasonOf = (reasons: Reason[], ruleId: string) => reasons.find((reason) => reason.ruleId === ruleId)!;

  it('an exemption recorded on a refugee certificate makes work lawful (WP-EX-18), with its reason in az and en', async () => {
    const { persons } = await run('{ persons(first: 20) { nodes { id } } }');
    const authorization = async (id: string) =>
      (await run(`query($id: ID!) { person(id: $id) { workAuthorization { outcome exemption { id } reasons { ruleId message { az en } } } } }`, { id })).person.workAuthorization;
    let worker: string | null = null;
    for (const { id } of persons.nodes) {
      if ((await authorization(id)).outcome === 'NOT_AUTHORIZED') {
        worker = id;
        break;
      }
    }
    expect(worker).not.toBeNull();
    const fact = (await recordFact({ personId: worker, kind: 'WORK_PERMIT_EXEMPTION', ruleId: 'WP-EX-18', sourceDocumentKind: 'REFUGEE_CERTIFICATE', sourceDocumentNumber: 'QC-2026-0001' })).recordPersonFact;
    expect(fact).toMatchObject({ ruleId: 'WP-EX-18', recordedBy: `migration-officer:${OFFICER}`, source: { kind: 'DOCUMENT' } });
    const now = await authorization(worker!);
    expect(now).toMatchObject({ outcome: 'AUTHORIZED', exemption: { id: 'WP-EX-18' } });
    const reason = reasonOf(now.reasons, 'WP-EX-18');
    expect(reason.message.en.length * reason.message.az.length).toBeGreaterThan(0);
    // The facts are in the person's picture, with their evidence.
    const { person } = await run(`query($id: ID!) { person(id: $id) { facts { kind ruleId established source { documentKind documentNumber } } } }`, { id: worker });
    expect(person.facts).toEqual([{ kind: 'WORK_PERMIT_EXEMPTION', ruleId: 'WP-EX-18', established: true, source: { documentKind: 'REFUGEE_CERTIFICATE', documentNumber: 'QC-2026-0001' } }]);
  });

  it('a long-term resident becomes ELIGIBLE for permanent residence on the investment ground, and a refusal ground stops it', async () => {
    const { persons } = await run('{ persons(first: 40) { nodes { id } } }');
    const eligibility = async (id: string) =>
      (await run(`query($id: ID!) { person(id: $id) { permanentResidenceEligibility { outcome checks { ruleId result } reasons { ruleId message { az en } } } } }`, { id })).person
        .permanentResidenceEligibility as { outcome: string; checks: Check[]; reasons: Reason[] };
    let resident: string | null = null;
    for (const { id } of persons.nodes) {
      const { checks } = await eligibility(id);
      if (checks.some((c) => c.ruleId === 'PR-01' && c.result === 'PASS') && !checks.some((c) => c.ruleId === 'PR-RF-10' && c.result !== 'NOT_APPLICABLE')) {
        resident = id;
        break;
      }
    }
    expect(resident).not.toBeNull();
    const before = await eligibility(resident!);
    expect(reasonOf(before.reasons, 'PR-RF-05').message.en).toMatch(/recordPersonFact/);

    await recordFact({ personId: resident, kind: 'PERMANENT_RESIDENCE_GROUND', ruleId: 'PR-GR-02', amountAzn: '750000.00', sourceDocumentKind: 'INVESTMENT_CERTIFICATE', sourceDocumentNumber: 'INV-77' });
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15]) {
      await recordFact({ personId: resident, kind: 'PERMANENT_RESIDENCE_REFUSAL_GROUND', ruleId: `PR-RF-${String(n).padStart(2, '0')}`, established: false });
    }
    const eligible = await eligibility(resident!);
    expect(eligible.outcome).toBe('ELIGIBLE');
    expect(eligible.checks).toContainEqual({ ruleId: 'PR-GR-02', result: 'PASS' });

    await recordFact({ personId: resident, kind: 'PERMANENT_RESIDENCE_REFUSAL_GROUND', ruleId: 'PR-RF-14', validFrom: TODAY, sourceDocumentKind: 'EXPULSION_DECISION', sourceDocumentNumber: 'EXP-2026-9' });
    const refused = await eligibility(resident!);
    expect(refused.outcome).toBe('NOT_ELIGIBLE');
    expect(refused.checks).toContainEqual({ ruleId: 'PR-RF-14', result: 'FAIL' });
    const reason = reasonOf(refused.reasons, 'PR-RF-14');
    expect(reason.message.en.length * reason.message.az.length).toBeGreaterThan(0);
  });

  it("a citizenship application's documents record the CIT-01 conditions, once", async () => {
    const { persons } = await run('{ persons(first: 10) { nodes { id } } }');
    const applicant = persons.nodes[7].id;
    const reasons = async () =>
      ((await run(`query($id: ID!) { person(id: $id) { citizenshipEligibility { admission { reasons { ruleId message { en } } } } } }`, { id: applicant })).person
        .citizenshipEligibility.admission.reasons as Reason[]).map((r) => r.message.en).join(' ');
    expect(await reasons()).toMatch(/Not recorded: a lawful source of income/);
    const submitted = await run(`mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { outcome application { number } } }`, {
      input: { applicantId: applicant, type: 'CITIZENSHIP_ADMISSION', channel: 'POST', documents: CITIZENSHIP_DOCUMENTS, idempotencyKey: 'cit-e2e-000001' },
    });
    expect(submitted.submitApplication.outcome).not.toBe('REJECTED');
    const facts = await eventually(async () => {
      const { person } = await run(`query($id: ID!) { person(id: $id) { facts { kind source { kind documentKind applicationNumber } } } }`, { id: applicant });
      return person.facts.length === 3 && person.facts;
    }, 'the documents to be recorded as facts');
    expect(facts.map((f: { kind: string }) => f.kind).sort()).toEqual(['CONSTITUTION_UNDERTAKING', 'LAWFUL_INCOME', 'STATE_LANGUAGE_KNOWLEDGE']);
    for (const fact of facts) expect(fact.source).toMatchObject({ kind: 'APPLICATION_DOCUMENT', applicationNumber: submitted.submitApplication.application.number });
    expect(await reasons()).not.toMatch(/Not recorded/);
  });
});
