/**
 * The demo records that the README's examples and the partner kit's tests name. They belong to the
 * well-known person: index 0 of every demo world, whatever its seed, built from a script of its own
 * (world.ts) with a random stream of its own, so that no other person of the world moved when it came.
 *
 * Emre Yilmaz, a Turkish citizen (visa-free): an earlier visit ran 10 days past the 90-day allowance
 * and was fined, still unpaid; back 40 days before the reference date, registered at his place of
 * stay, he applied 12 days before it for a work permit, under review, its state duty billed and unpaid.
 *
 * The application number carries the year of submission: these values hold for the default
 * DEMO_REFERENCE_DATE (2026-11-01); the person id, the document and the payment codes for any date.
 * `well-known.spec.ts` checks that every world has them.
 */
export const WELL_KNOWN_PERSON_INDEX = 0;

export const WELL_KNOWN = {
  /**
   * `person(id:)`. The id person 0 of the tests' seed (`test-seed`) had before it became the well-known
   * person: lists of persons are in order of id, and tests that take the n-th person find the same one.
   */
  personId: 'fcfb5263-0315-4bf8-97b3-026626e559f8',
  /** `personByDocument(country:, number:)`: his passport. */
  travelDocument: { country: 'TUR', number: 'AB12345678' },
  /** `applicationByNumber(number:)`: his work permit application, under review. */
  applicationNumber: 'WP-2026-00000000',
  /** `paymentByCode(code:)`, one per kind, both unpaid, with the amount due. */
  payments: {
    /** The work permit application's state duty (WP-04: 20 working days). */
    stateDuty: { code: '000000000000', amount: '1000.00' },
    /** The fine for the overstay of his earlier visit (FINE-01). */
    fine: { code: '000000000018', amount: '300.00' },
  },
} as const;
