import { lawfulBasisOf, temporaryResidencePermitsOf, type PermitRecord } from '../../domain/facts/permit-facts';
import type { GraphClient } from '../../platform/graph-client';
import type { PersonIntakeFacts } from '../../domain/rules';

/** What intake needs of the persons and permits registries, read through the graph. */
const INTAKE_FACTS = /* GraphQL */ `
  query IntakeFacts($id: ID!) {
    person(id: $id) {
      citizenship
      permits { kind number visaType validFrom validUntil revokedOn ground groundArticle familyMemberOfSpecialHolder }
    }
  }
`;

/** The applicant's facts for the intake rules; null when the persons registry does not know the person. */
export async function loadIntakeFacts(graph: GraphClient, personId: string, requestId: string): Promise<PersonIntakeFacts | null> {
  const { person } = await graph.query<{ person: { citizenship: string | null; permits: PermitRecord[] } | null }>(
    INTAKE_FACTS,
    { id: personId },
    requestId,
  );
  if (!person) return null;
  return {
    citizenships: person.citizenship ? [person.citizenship] : [],
    lawfulBases: person.permits.map(lawfulBasisOf),
    temporaryResidencePermits: temporaryResidencePermitsOf(person.permits),
    workPermitExemptionClaims: [],
  };
}
