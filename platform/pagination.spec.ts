import { GraphQLError } from 'graphql';
import { CursorCodec, ephemeralCursorCodec } from './pagination';

const SECRET = 'c'.repeat(64);
const ID = '3f2c1d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const isUuid = (value: string) => /^[0-9a-f-]{36}$/.test(value);

/** The error a decode throws, for its code and field. */
function refusal(decode: () => unknown): { code: unknown; field: unknown } {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    const { code, field } = (error as GraphQLError).extensions;
    return { code, field };
  }
  throw new Error('expected the cursor to be refused');
}

describe('cursors (issue 18, items 1 and 6)', () => {
  const codec = new CursorCodec(SECRET, 'persons');

  it('give back the position they were made for', () => {
    expect(codec.decode('persons', codec.encode('persons', ID), { isPosition: isUuid })).toBe(ID);
  });

  it('are opaque: neither the id nor its text can be read from them; one position, one cursor', () => {
    const first = codec.encode('persons', ID);
    const other = codec.encode('persons', ID.replace(/f$/, 'e'));
    expect(codec.encode('persons', ID)).toBe(first);
    expect(other).not.toBe(first);
    expect(codec.encode('documents', ID)).not.toBe(first);
    expect(new CursorCodec(SECRET, 'permits').encode('persons', ID)).not.toBe(first);
    for (const cursor of [first, other]) {
      expect(cursor).not.toContain(ID);
      expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain(ID.slice(0, 8));
      expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toMatch(/persons|"k"/);
    }
  });

  it('refuse a cursor changed in any byte, BAD_USER_INPUT naming the argument', () => {
    const bytes = Buffer.from(codec.encode('persons', ID), 'base64url');
    for (let index = 0; index < bytes.length; index += 1) {
      const changed = Buffer.from(bytes);
      changed[index] ^= 0x01;
      expect(refusal(() => codec.decode('persons', changed.toString('base64url')))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    }
  });

  it('refuse a cursor of another list, another registry or another secret', () => {
    const cursor = codec.encode('persons', ID);
    expect(refusal(() => codec.decode('documents', cursor)).code).toBe('BAD_USER_INPUT');
    expect(refusal(() => new CursorCodec(SECRET, 'permits').decode('persons', cursor)).code).toBe('BAD_USER_INPUT');
    expect(refusal(() => ephemeralCursorCodec('persons').decode('persons', cursor)).code).toBe('BAD_USER_INPUT');
  });

  it('refuse the old readable cursors and anything made up, naming the field given', () => {
    const readable = (key: string) => Buffer.from(JSON.stringify({ l: 'persons', k: key })).toString('base64url');
    for (const cursor of [readable(ID), readable('not-a-uuid'), '', 'AQ', 'A'.repeat(600), 'not base64!', '%27%20OR%201%3D1', Buffer.alloc(40).toString('base64url')]) {
      expect(refusal(() => codec.decode('persons', cursor, { field: 'before' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'before' });
    }
  });

  it('refuse an authentic cursor whose position the list cannot have (never reaching SQL)', () => {
    const cursor = codec.encode('persons', "x'; drop table persons; --");
    expect(refusal(() => codec.decode('persons', cursor, { isPosition: isUuid }))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('needs a secret of at least 32 characters', () => {
    expect(() => new CursorCodec('short', 'persons')).toThrow(/32/);
  });
});
