import { buildSchema, parse, validate } from 'graphql';
import { aliasLimit, costLimit, depthLimit } from './query-limits';

const schema = buildSchema(`
  type Query { customers: [Customer!]!  customer(id: ID!): Customer  incidents(first: Int): IncidentConnection! }
  type Customer { id: ID!  name: String!  partner: Partner  incidents(first: Int): IncidentConnection!  sensors: [Sensor!]! }
  type Partner { id: ID!  customers: [Customer!]! }
  type Sensor { id: ID!  name: String! }
  type IncidentConnection { edges: [IncidentEdge!]! }
  type IncidentEdge { node: Incident! }
  type Incident { id: ID!  title: String! }
`);

const errorsOf = (query: string, rules: ReturnType<typeof depthLimit>[]) => validate(schema, parse(query), rules).map((e) => `${e.extensions.code}: ${e.message}`);

describe('gateway query limits', () => {
  it('accepts an ordinary cross-subgraph query', () => {
    const q = '{ customers { id name partner { id } sensors { name } incidents(first: 10) { edges { node { title } } } } }';
    expect(errorsOf(q, [depthLimit(12), aliasLimit(30), costLimit(20000)])).toEqual([]);
  });

  it('rejects a query nested deeper than the limit, through fragments too', () => {
    const q = `{ customers { partner { customers { partner { ...P } } } } } fragment P on Partner { customers { partner { id } } }`;
    expect(errorsOf(q, [depthLimit(5)])).toEqual(['QUERY_TOO_DEEP: query depth 7 exceeds the limit of 5']);
  });

  it('rejects too many aliases', () => {
    const q = `{ ${Array.from({ length: 5 }, (_, i) => `a${i}: customer(id: "${i}") { id }`).join(' ')} }`;
    expect(errorsOf(q, [aliasLimit(4)])).toEqual(['TOO_MANY_ALIASES: 5 aliases exceed the limit of 4']);
  });

  it('prices lists by their page size and rejects an expensive query', () => {
    // customers (20 assumed) x incidents first 200 x edges: 1 + 20 + 20x(1 + 1 + 200x(1 + 1)) ...
    const q = '{ customers { incidents(first: 200) { edges { node { id title } } } } }';
    const [err] = errorsOf(q, [costLimit(5000)]);
    expect(err).toMatch(/^QUERY_TOO_EXPENSIVE: query cost \d+ exceeds the limit of 5000$/);
    expect(errorsOf('{ customers { incidents(first: 2) { edges { node { id title } } } } }', [costLimit(5000)])).toEqual([]);
  });

  it('counts a page size given as a variable at the maximum page', () => {
    const q = 'query($n: Int) { customers { incidents(first: $n) { edges { node { id } } } } }';
    expect(errorsOf(q, [costLimit(2000)])[0]).toMatch(/QUERY_TOO_EXPENSIVE/);
  });
});
