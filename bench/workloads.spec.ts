import { expectedIn, isRightAnswer, variablesFor, type WorkloadInputs } from './workloads';

describe('what the benchmark counts as a right answer', () => {
  const inputs: WorkloadInputs = {
    personIds: ['p-1', 'p-2'],
    cursors: [null, 'c-1', 'c-2'],
    documents: [{ country: 'TUR', number: 'U1', holder: 'p-2' }],
  };

  it('expects the person asked for, the holder of the document asked for, and the end cursor of a page of 50', () => {
    expect(expectedIn('picture', inputs, 3)).toBe('"id":"p-2"');
    expect(expectedIn('document', inputs, 0)).toBe('"id":"p-2"');
    expect(variablesFor('document', inputs, 0)).toEqual({ country: 'TUR', number: 'U1' });
    expect(expectedIn('page', inputs, 0)).toBe('"endCursor":"c-1"');
    expect(expectedIn('page', inputs, 1)).toBe('"endCursor":"c-2"');
    // The last page's end cursor, and any page of another size, are not known.
    expect(expectedIn('page', inputs, 2)).toBeNull();
    expect(expectedIn('page', inputs, 0, 10)).toBeNull();
  });

  it('takes data with the expected text and refuses errors, another record and no data', () => {
    const answer = '{"data":{"person":{"id":"p-2","givenName":"Aysel"}}}';
    expect(isRightAnswer(answer, '"id":"p-2"')).toBe(true);
    expect(isRightAnswer(answer, null)).toBe(true);
    expect(isRightAnswer(answer, '"id":"p-1"')).toBe(false);
    expect(isRightAnswer('{"data":{"person":null},"errors":[{"message":"x"}]}', null)).toBe(false);
    expect(isRightAnswer('{"errors":[{"message":"Refused"}]}', null)).toBe(false);
    expect(isRightAnswer('{"data":null}', null)).toBe(false);
  });
});
