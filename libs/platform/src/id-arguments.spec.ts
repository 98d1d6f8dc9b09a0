import { ApolloServer } from '@apollo/server';
import { buildSchema, OperationDefinitionNode, parse } from 'graphql';
import { formatGraphQLError } from './errors';
import { idArgumentsPlugin, invalidIdArgument } from './id-arguments';

const SDL = `
  scalar _Any
  input Filter { customerId: ID  sensorIds: [ID!]  name: String }
  type Thing { id: ID!  name: String }
  type Query { thing(id: ID!): Thing  things(filter: Filter, ids: [ID!]): [Thing!]!  byName(name: String): Thing  _entities(representations: [_Any!]!): [Thing]! }
`;
const schema = buildSchema(SDL);
const U = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';

function check(query: string, variables?: Record<string, unknown>) {
  const doc = parse(query);
  return invalidIdArgument(schema, doc, doc.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode, variables);
}

describe('ID arguments that are not UUIDs', () => {
  it('finds them literal or in variables, in input objects (dotted path) and lists', () => {
    expect(check(`{ thing(id: "nope") { id } }`)).toEqual({ field: 'id', value: 'nope' });
    expect(check(`{ thing(id: 42) { id } }`)).toEqual({ field: 'id', value: '42' });
    expect(check(`query($id: ID!) { thing(id: $id) { id } }`, { id: "x' OR 1=1" })).toEqual({ field: 'id', value: "x' OR 1=1" });
    expect(check(`query($f: Filter) { things(filter: $f) { id } }`, { f: { customerId: 'c1' } })).toEqual({ field: 'filter.customerId', value: 'c1' });
    expect(check(`{ things(filter: { sensorIds: ["${U}", "s2"] }) { id } }`)).toEqual({ field: 'filter.sensorIds', value: 's2' });
    expect(check(`query($ids: [ID!]) { things(ids: $ids) { id } }`, { ids: [U, 'bad'] })).toEqual({ field: 'ids', value: 'bad' });
  });

  it('lets UUIDs, other types, absent values and entity representations through', () => {
    expect(check(`query($id: ID!, $f: Filter) { thing(id: $id) { id } things(filter: $f, ids: ["${U.toUpperCase()}"]) { id } }`, { id: U, f: { customerId: null, name: 'nope' } })).toBeNull();
    expect(check(`{ byName(name: "nope") { id } }`)).toBeNull();
    expect(check(`query($id: ID!) { thing(id: $id) { id } }`, {})).toBeNull();
    expect(check(`query($r: [_Any!]!) { _entities(representations: $r) { id } }`, { r: [{ __typename: 'Thing', id: 'nope' }] })).toBeNull();
  });

  it('answers BAD_USER_INPUT naming the argument, with HTTP 400, before any resolver runs', async () => {
    const resolved: string[] = [];
    const server = new ApolloServer({
      typeDefs: SDL,
      resolvers: { Query: { thing: (_: unknown, a: { id: string }) => (resolved.push(a.id), { id: a.id }), things: () => [], byName: () => null, _entities: () => [] } },
      plugins: [idArgumentsPlugin()],
      formatError: formatGraphQLError,
    });
    await server.start();
    try {
      const res = await server.executeOperation({ query: 'query($id: ID!) { thing(id: $id) { id } }', variables: { id: 'not-a-uuid' } });
      expect(res.http.status).toBe(400);
      expect(res.body.kind === 'single' && res.body.singleResult.errors).toEqual([{ message: 'id "not-a-uuid" is not an id (a UUID)', extensions: { code: 'BAD_USER_INPUT', field: 'id' } }]);
      expect(resolved).toEqual([]);
      const ok = await server.executeOperation({ query: 'query($id: ID!) { thing(id: $id) { id } }', variables: { id: U } });
      expect(ok.body.kind === 'single' && ok.body.singleResult).toEqual({ data: { thing: { id: U } } });
    } finally {
      await server.stop();
    }
  });
});
