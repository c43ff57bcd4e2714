import { badUserInput } from '../../platform/errors';
import { isUuid } from '../../platform/ids';
import { pageSize } from '../../platform/pagination';
import type { PersonLoaders } from './person.loader';
import { toPerson } from './person.service';
import type { Person } from './person.type';
import type { FeedPosition, StayFactsStore } from './stay-facts.store';
import type { StayFactChanges } from './stay-facts.type';

/** At most this many persons in one page of the feed or one bulk read. */
export const MAX_STAY_FACT_PERSONS = 1000;
const CURSOR = /^(\d{1,20})\.(\d{1,19})$/;

/** The feed of changed stay facts and the bulk read of those facts, for the permits registry's presence status. */
export class StayFactsService {
  constructor(
    private readonly store: StayFactsStore,
    private readonly loaders: PersonLoaders,
  ) {}

  async changes(after: string | null | undefined, first: number | null | undefined): Promise<StayFactChanges> {
    const limit = pageSize(first, MAX_STAY_FACT_PERSONS, 'first', { min: 1, max: MAX_STAY_FACT_PERSONS });
    const page = await this.store.changesAfter(after ? parseCursor(after) : null, limit);
    return { personIds: page.personIds, endCursor: `${page.next.xid}.${page.next.seq}`, complete: page.complete };
  }

  /** The persons on record among `ids` (unknown ids left out), their crossings through the request's loaders. */
  async persons(ids: readonly string[]): Promise<Person[]> {
    if (ids.length > MAX_STAY_FACT_PERSONS) throw badUserInput(`personIds: at most ${MAX_STAY_FACT_PERSONS} at a time`, 'personIds');
    const known = [...new Set(ids.map((id) => id.toLowerCase()).filter(isUuid))];
    const rows = await this.loaders.person.loadMany(known);
    return rows.flatMap((row) => (row && !(row instanceof Error) ? [toPerson(row)] : []));
  }
}

function parseCursor(cursor: string): FeedPosition {
  const match = CURSOR.exec(cursor);
  if (!match) throw badUserInput("after must be a previous page's endCursor, unchanged", 'after');
  return { xid: match[1], seq: Number(match[2]) };
}
