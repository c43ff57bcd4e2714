import 'reflect-metadata';
import { LegalService } from './legal.service';
import type { PermitLoaders } from './permit.loader';
import type { PersonFactLoaders } from './person-fact.loader';

/** No facts recorded about anyone. */
const noFacts = { ofPerson: { load: async () => [] } } as unknown as PersonFactLoaders;
import type { Person } from './person.type';

/** A registry without permits (the visa-free rules alone decide: STAY-01, a Russian citizen stays 90 days without a visa), counting its reads. */
function registry() {
  const reads = { permits: 0 };
  const loaders = {
    ofHolder: {
      load: async () => {
        reads.permits += 1;
        return [];
      },
    },
  } as unknown as PermitLoaders;
  return { loaders, reads };
}

/** A person as a resolver gets it: an object of its own for every field (type-graphql makes one per resolver). */
const entity = (crossings = [{ direction: 'ENTRY', date: '2026-01-10' }]) =>
  ({ id: '00000000-0000-4000-8000-00000000beef', citizenship: 'RUS', borderCrossings: crossings }) as unknown as Person;

describe('LegalService: the facts and stay periods of one person are worked out once per request', () => {
  it('answers stayPeriods, legalStatus and workAuthorization of one person from facts gathered once', async () => {
    const { loaders, reads } = registry();
    const service = new LegalService(loaders, noFacts, '2026-05-01');
    const answers = [await service.stayPeriods(entity()), await service.legalStatus(entity()), await service.workAuthorization(entity())];
    expect(reads.permits).toBe(1);
    // The same answers as each asked alone, of a service of its own.
    const alone = [
      await new LegalService(registry().loaders, noFacts, '2026-05-01').stayPeriods(entity()),
      await new LegalService(registry().loaders, noFacts, '2026-05-01').legalStatus(entity()),
      await new LegalService(registry().loaders, noFacts, '2026-05-01').workAuthorization(entity()),
    ];
    expect(answers).toEqual(alone);
    // 112 days from 10 January to 1 May, both counted: 22 past the 90 visa-free days (STAY-01, STAY-03).
    expect(answers[1]).toMatchObject({ outcome: 'UNLAWFUL', overstayDays: 22 });
  });

  it('evaluates each day asked on its own', async () => {
    const service = new LegalService(registry().loaders, noFacts, '2026-05-01');
    const [early, late] = [await service.legalStatus(entity(), '2026-03-01'), await service.legalStatus(entity())];
    expect([early.outcome, early.overstayDays, late.outcome]).toEqual(['LAWFUL', 0, 'UNLAWFUL']);
    expect(await service.stayPeriods(entity(), '2026-03-01')).toEqual(await new LegalService(registry().loaders, noFacts, '2026-05-01').stayPeriods(entity(), '2026-03-01'));
  });

  it('keeps apart the same person brought with other crossings (a fetch serving several requests may bring both)', async () => {
    const service = new LegalService(registry().loaders, noFacts, '2026-05-01');
    const present = await service.legalStatus(entity());
    const left = await service.legalStatus(entity([{ direction: 'ENTRY', date: '2026-01-10' }, { direction: 'EXIT', date: '2026-02-01' }]));
    expect([present.outcome, left.outcome]).toEqual(['UNLAWFUL', 'NOT_PRESENT']);
  });
});
