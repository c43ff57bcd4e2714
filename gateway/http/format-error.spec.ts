import { clientPath, formatGatewayError, INTROSPECTION_OFF } from './format-error';

describe('errors as a client sees them', () => {
  it('cuts a path before the internal keys of an entity fetch or of the gateway', () => {
    expect(clientPath(['applicationByNumber', '_entities'])).toEqual(['applicationByNumber']);
    expect(clientPath(['persons', 'nodes', 0, '_entities', 1, 'permits'])).toEqual(['persons', 'nodes', 0]);
    expect(clientPath(['person', '_dmxPerson', 'id'])).toEqual(['person']);
    expect(clientPath(['_entities', 0, 'surname'])).toBeUndefined();
    expect(clientPath(['persons', 'nodes', 0, 'surname'])).toEqual(['persons', 'nodes', 0, 'surname']);
    expect(clientPath(undefined)).toBeUndefined();
  });

  it.each([true, false])('never tells the caller how to switch introspection on (development: %s)', (expose) => {
    const apollo = {
      message: 'GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type. To enable introspection, pass introspection: true to ApolloServer in production',
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    };
    expect(formatGatewayError(apollo, expose)).toEqual({ message: INTROSPECTION_OFF, locations: apollo.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('in production, words a registry’s message about the gateway’s own request without its internal names, keeping the code', () => {
    const formatted = formatGatewayError(
      { message: 'Variable "$representations" got invalid value at "representations[0]"', path: ['applicationByNumber', '_entities'], extensions: { code: 'BAD_USER_INPUT', registry: 'payments', serviceName: 'payments' } },
      false,
    );
    expect(formatted).toEqual({ message: 'The payments registry could not answer part of this request (BAD_USER_INPUT).', path: ['applicationByNumber'], extensions: { code: 'BAD_USER_INPUT', registry: 'payments' } });
    expect(JSON.stringify(formatted)).not.toMatch(/_entities|representations|serviceName/);
  });

  it('masks what is not a client error in production, its path cut as well', () => {
    expect(formatGatewayError({ message: 'Cannot return null for non-nullable field Query._entities.', path: ['person', '_entities', 0] }, false)).toEqual({
      message: 'Internal server error',
      path: ['person'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('leaves an ordinary client error as it is', () => {
    const forbidden = { message: 'Person.surname needs persons:read.', path: ['person', 'surname'], extensions: { code: 'FORBIDDEN' } };
    expect(formatGatewayError(forbidden, false)).toEqual(forbidden);
  });
});
