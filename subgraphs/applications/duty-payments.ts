import type { GraphClient } from '../../platform/graph-client';
import type { DutyPayment } from '../../domain/rules';

/** The state duty payments of one application, as the payments registry records them (PAY-04). */
const DUTY_PAYMENTS = /* GraphQL */ `
  query DutyPayments($number: String!) {
    applicationByNumber(number: $number) {
      id
      payments { code purpose status }
    }
  }
`;

interface Answer {
  applicationByNumber: { id: string; payments: { code: string; purpose: string; status: DutyPayment['status'] }[] | null } | null;
}

/**
 * Read through the graph, like any client: the payments registry owns payments. Its fields are those of
 * public tracking (PAY-01, PAY-02), so the registry needs no scope beyond its own. Throws GraphClientError
 * when the graph cannot answer (or answers without the payments): the caller must not guess "paid".
 */
export async function loadDutyPayments(graph: GraphClient, application: { id: string; number: string }, requestId: string): Promise<DutyPayment[]> {
  const { applicationByNumber: found } = await graph.query<Answer>(DUTY_PAYMENTS, { number: application.number }, requestId);
  if (!found || found.id !== application.id || !found.payments) throw new Error(`the graph gave no payments for application ${application.number}`);
  return found.payments.filter((payment) => payment.purpose === 'STATE_DUTY').map(({ code, status }) => ({ code, status }));
}
