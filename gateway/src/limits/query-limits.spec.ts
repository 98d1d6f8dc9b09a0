import { buildSchema, OperationDefinitionNode, parse, validate } from 'graphql';
import { aliasLimit, costLimit, declaredMaximum, depthLimit, operationCost, UNBOUNDED_LIST_SIZE } from './query-limits';

const schema = buildSchema(`
  type Query {
    customers: [Customer!]!
    customer(id: ID!): Customer
    incidents("Page size, 1-200" first: Int): IncidentConnection!
    auditLog("Page size (1 to 1000)" first: Int): [AuditEntry!]!
    replay("At most 5000 records" limit: Int = 500): [AuditEntry!]!
  }
  type Customer { id: ID!  name: String!  partner: Partner  incidents("Page size, 1-200" first: Int = 20): IncidentConnection!  sensors: [Sensor!]! }
  type Partner { id: ID!  customers: [Customer!]! }
  type Sensor { id: ID!  name: String! }
  type IncidentConnection { edges: [IncidentEdge!]!  nodes: [Incident!]!  pageInfo: PageInfo!  totalCount: Int! }
  type PageInfo { hasNextPage: Boolean! }
  type IncidentEdge { node: Incident! }
  type Incident { id: ID!  title: String! }
  type AuditEntry { id: ID!  what: String! }
`);

const errorsOf = (query: string, rules: ReturnType<typeof depthLimit>[]) => validate(schema, parse(query), rules).map((e) => `${e.extensions.code}: ${e.message}`);

// The price the validation rule puts on a query (variables unknown), read from its refusal.
function staticCost(query: string): number {
  const [err] = errorsOf(query, [costLimit(0)]);
  return Number(/query cost (\d+) exceeds/.exec(err ?? '')?.[1]);
}

// The price at execution, with the request's variables.
function costWith(query: string, variables: Record<string, unknown>): number {
  const doc = parse(query);
  return operationCost(schema, doc, doc.definitions[0] as OperationDefinitionNode, variables);
}

describe('gateway query limits', () => {
  it('accepts an ordinary cross-subgraph query', () => {
    const q = '{ customers { id name partner { id } sensors { name } incidents(first: 10) { edges { node { title } } } } }';
    expect(errorsOf(q, [depthLimit(12), aliasLimit(30), costLimit(100000)])).toEqual([]);
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
    const q = '{ customers { incidents(first: 200) { edges { node { id title } } } } }';
    const [err] = errorsOf(q, [costLimit(5000)]);
    expect(err).toMatch(/^QUERY_TOO_EXPENSIVE: query cost \d+ exceeds the limit of 5000$/);
    expect(errorsOf('{ incidents(first: 2) { edges { node { id title } } } }', [costLimit(5000)])).toEqual([]);
  });

  it('multiplies nested lists: each field costs the product of the list sizes above it', () => {
    // customers (unbounded) > incidents first 3 > edges (3 each) > node > id
    const n = UNBOUNDED_LIST_SIZE;
    expect(staticCost('{ customers { incidents(first: 3) { edges { node { id } } } } }')).toBe(1 + n * (1 + 1 + 3 * (1 + 1)));
  });

  // Issue 15 item 12: the cases the former rule under-counted.
  it('prices a list without a page size as a large one, not 20', () => {
    // unbounded customers, each with unbounded sensors: 1 + 100 + 100 x 100 x 2
    expect(staticCost('{ customers { sensors { id name } } }')).toBe(1 + UNBOUNDED_LIST_SIZE + UNBOUNDED_LIST_SIZE * UNBOUNDED_LIST_SIZE * 2);
    expect(errorsOf('{ customers { sensors { id name } } }', [costLimit(5000)])[0]).toMatch(/^QUERY_TOO_EXPENSIVE/);
  });

  it("keeps a connection's first to its own lists: it does not leak into the next field", () => {
    const alone = staticCost('{ customers { sensors { id } } }');
    const page = staticCost('{ incidents(first: 1) { totalCount } }');
    expect(staticCost('{ incidents(first: 1) { totalCount } customers { sensors { id } } }')).toBe(page + alone);
    // nor into a sibling list of the connection's parent
    // customers, then per customer: incidents, its totalCount, sensors (unbounded) and their ids
    const n = UNBOUNDED_LIST_SIZE;
    expect(staticCost('{ customers { incidents(first: 1) { totalCount } sensors { id } } }')).toBe(1 + n + n + n + n * n);
  });

  it("prices a page size given as a variable at the argument's declared maximum when its value is unknown", () => {
    expect(staticCost('query($n: Int) { auditLog(first: $n) { id } }')).toBe(staticCost('{ auditLog(first: 1000) { id } }'));
    expect(staticCost('query($n: Int) { replay(limit: $n) { id } }')).toBe(staticCost('{ replay(limit: 5000) { id } }'));
    expect(staticCost('query($n: Int) { incidents(first: $n) { nodes { id } } }')).toBe(staticCost('{ incidents(first: 200) { nodes { id } } }'));
  });

  it("prices a variable at its value at execution, and at the declared maximum when it is absent", () => {
    const q = 'query($n: Int) { auditLog(first: $n) { id what } }';
    expect(costWith(q, { n: 3 })).toBe(1 + 3 * 2);
    expect(costWith(q, {})).toBe(1 + 1000 * 2);
  });

  it("prices an omitted page size at the argument's default, else at its declared maximum", () => {
    expect(staticCost('{ replay { id } }')).toBe(1 + 500);
    expect(staticCost('{ auditLog { id } }')).toBe(1 + 1000);
    expect(staticCost('{ customer(id: "1") { incidents { nodes { id } } } }')).toBe(1 + 1 + 1 + 20);
  });

  it('reads the declared maximum from the argument description', () => {
    expect(declaredMaximum('Page size: at most this many invoices (1 to 200)')).toBe(200);
    expect(declaredMaximum('Page size, 1-200 (default 50)')).toBe(200);
    expect(declaredMaximum('At most this many records (1 to 5000)')).toBe(5000);
    expect(declaredMaximum('at most 500')).toBe(500);
    expect(declaredMaximum(undefined)).toBe(200);
  });
});
