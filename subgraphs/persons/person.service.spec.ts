import { GraphQLError } from 'graphql';
import { AggregateDisclosure } from '../../platform/aggregates';
import { CursorCodec } from '../../platform/pagination';
import { createPersonLoaders } from './person.loader';
import { PersonService } from './person.service';
import type { PersonListFilter, PersonRow, PersonStore } from './person.store';

const IDS = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];
const row = (id: string): PersonRow => ({ id, fin: null, givenName: 'Aylin', surname: 'Yılmaz', patronymic: null, birthDate: '1990-05-06', sex: 'FEMALE', citizenship: 'TUR' });

/** A store that answers from three rows and records what it was asked, so a test sees what reached SQL. */
function fakeStore(count = 3) {
  const asked: { list: { filter: PersonListFilter; afterId: string | null }[]; count: number } = { list: [], count: 0 };
  const store = {
    async list(filter: PersonListFilter, limit: number, afterId: string | null) {
      asked.list.push({ filter, afterId });
      return IDS.filter((id) => afterId === null || id > afterId).slice(0, limit).map(row);
    },
    async count() {
      asked.count += 1;
      return count;
    },
    async findByIds(ids: readonly string[]) {
      return ids.map(row);
    },
  } as unknown as PersonStore;
  return { store, asked };
}

const cursors = new CursorCodec('s'.repeat(64), 'persons');
function service(scopes: string[], count?: number) {
  const { store, asked } = fakeStore(count);
  return { persons: new PersonService(store, createPersonLoaders(store), { aggregates: new AggregateDisclosure({ scopes }, 10), cursors }), asked };
}

async function refusal(promise: Promise<unknown>): Promise<{ code: unknown; field: unknown }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    const { code, field } = (error as GraphQLError).extensions;
    return { code, field };
  }
  throw new Error('expected a refusal');
}

describe('persons list: aggregates reveal no individual (issue 18, item 1)', () => {
  const DASHBOARD = ['aggregates:read'];

  it('gives a caller who may only count no cursor, no surname and no day of birth, and reads no row', async () => {
    const { persons, asked } = service(DASHBOARD);
    const cursor = cursors.encode('persons', IDS[0]);
    expect(await refusal(persons.page({}, 1, cursor))).toEqual({ code: 'FORBIDDEN', field: 'after' });
    expect(await refusal(persons.page({ surnamePrefix: 'Yı' }, 1, null))).toEqual({ code: 'FORBIDDEN', field: 'filter.surnamePrefix' });
    expect(await refusal(persons.page({ bornFrom: '1990-05-06' }, 1, null))).toEqual({ code: 'FORBIDDEN', field: 'filter.bornFrom' });
    expect(await refusal(persons.page({ bornTo: '1990-05-06' }, 1, null))).toEqual({ code: 'FORBIDDEN', field: 'filter.bornTo' });
    const page = await persons.page({ citizenship: 'TUR', bornFrom: '1990-01-01', bornTo: '1999-12-31' }, 5, null);
    expect(page).toMatchObject({ edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
    expect(asked.list).toEqual([]);
  });

  it('withholds a count under the threshold from a caller who may only count, and says so', async () => {
    const small = service(DASHBOARD, 9);
    expect(await small.persons.count({})).toBeNull();
    expect(small.persons.suppressedBelow()).toBe(10);
    expect(await service(DASHBOARD, 10).persons.count({})).toBe(10);
  });

  it('gives a reader of persons every count whole', async () => {
    const { persons } = service(['persons:read', 'aggregates:read'], 3);
    expect(await persons.count({ surnamePrefix: 'Yı' })).toBe(3);
    expect(persons.suppressedBelow()).toBeNull();
  });
});

describe('persons list: cursors are opaque (issue 18, items 1 and 6)', () => {
  it('pages with sealed cursors that name no id', async () => {
    const { persons, asked } = service(['persons:read']);
    const first = await persons.page({}, 1, null);
    expect(first.nodes.map((node) => node.id)).toEqual([IDS[0]]);
    expect(first.pageInfo.endCursor).not.toContain(IDS[0]);
    const second = await persons.page({}, 1, first.pageInfo.endCursor);
    expect(second.nodes.map((node) => node.id)).toEqual([IDS[1]]);
    expect(asked.list.map((call) => call.afterId)).toEqual([null, IDS[0]]);
  });

  it('refuses a cursor of one filter under another, which would page quietly through other persons', async () => {
    const { persons, asked } = service(['persons:read']);
    const indians = await persons.page({ citizenship: 'IND' }, 1, null);
    const cursor = indians.pageInfo.endCursor!;
    expect(await refusal(persons.page({}, 1, cursor))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(await refusal(persons.page({ citizenship: 'TUR' }, 1, cursor))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    // The same filter, however it is written (a prefix in another case, a null left out), takes it.
    expect((await persons.page({ citizenship: 'IND', stateless: null }, 1, cursor)).nodes).toHaveLength(1);
    const byPrefix = (await persons.page({ surnamePrefix: 'Al' }, 1, null)).pageInfo.endCursor!;
    expect((await persons.page({ surnamePrefix: 'AL' }, 1, byPrefix)).nodes).toHaveLength(1);
    expect(asked.list.map((call) => call.afterId)).toEqual([null, IDS[0], null, IDS[0]]);
  });

  it('refuses a made-up cursor and an authentic one whose key is no UUID with BAD_USER_INPUT, before any SQL', async () => {
    const { persons, asked } = service(['persons:read']);
    const readable = Buffer.from(JSON.stringify({ l: 'persons', k: IDS[1] })).toString('base64url');
    expect(await refusal(persons.page({}, 1, readable))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(await refusal(persons.page({}, 1, cursors.encode('persons', 'not-a-uuid')))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(asked.list).toEqual([]);
  });
});
