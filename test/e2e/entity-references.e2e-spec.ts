import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildASTSchema, getNamedType, GraphQLObjectType, isLeafType, parse } from 'graphql';
import { Role, ROLES } from '@kanshi/auth';
import { eventually, gqlOk, gqlRequest, tokenFor } from '@kanshi/testing';
import { FIELDS_MATRIX_HEADING, parseRoleMatrix, ROLE_MATRIX_HEADING } from '../../scripts/api-reference';
import { signContract } from '../../scripts/seed';
import { Suite } from '../../scripts/suite';
import { bootSuite, SUBGRAPH_SECRET } from './suite.fixture';

// Entity references and the fields one subgraph adds to another's type are resolved outside any
// query the gateway checked: each subgraph is called here directly (`_entities`, with the gateway's
// credential, as the gateway calls it) as every role. A role the matching permission does not list
// gets FORBIDDEN; a customer never reads another customer's entity.
jest.setTimeout(300000);

const repoFile = (...parts: string[]) => readFileSync(path.resolve(__dirname, '../..', ...parts).replace(`${path.sep}dist${path.sep}`, path.sep), 'utf8');
const SUPERGRAPH = repoFile('gateway', 'supergraph.graphql');
const schema = buildASTSchema(parse(SUPERGRAPH), { assumeValidSDL: true });
const API = repoFile('docs', 'api.md');
const operations = parseRoleMatrix(API, ROLE_MATRIX_HEADING);
const fields = parseRoleMatrix(API, FIELDS_MATRIX_HEADING);

// The entity types each subgraph resolves (a resolvable @key in the supergraph's join directives).
function entitiesBySubgraph(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of SUPERGRAPH.matchAll(/\ntype (\w+)((?:\n\s+@[^\n]+)*)\n\{/g)) {
    for (const d of m[2].matchAll(/@join__type\(graph: (\w+), key: "[^"]+"(, resolvable: false)?/g)) {
      if (d[2]) continue;
      const subgraph = d[1].toLowerCase().replace(/_/g, '-');
      if (!out.has(subgraph)) out.set(subgraph, new Set());
      out.get(subgraph)!.add(m[1]);
    }
  }
  return out;
}
const ENTITIES = entitiesBySubgraph();

// Each entity reference reads the same objects as a query; it checks that query's permission.
const REFERENCES: { subgraph: string; type: string; readBy: string }[] = [
  { subgraph: 'contracts', type: 'Customer', readBy: 'query customers' },
  { subgraph: 'contracts', type: 'Partner', readBy: 'query partners' },
  { subgraph: 'contracts', type: 'Quote', readBy: 'query quotes' },
  { subgraph: 'contracts', type: 'Contract', readBy: 'query contracts' },
  { subgraph: 'contracts', type: 'Invoice', readBy: 'query invoices' },
  { subgraph: 'ingestion', type: 'Sensor', readBy: 'query sensors' },
  { subgraph: 'ingestion', type: 'Alert', readBy: 'query alerts' },
  { subgraph: 'incident', type: 'Incident', readBy: 'query incidents' },
  { subgraph: 'incident', type: 'Isolation', readBy: 'query isolations' },
  { subgraph: 'endpoint-response', type: 'Isolation', readBy: 'query isolations' },
  { subgraph: 'endpoint-response', type: 'Endpoint', readBy: 'query endpoints' },
  { subgraph: 'reporting', type: 'Report', readBy: 'query reports' },
];

// Keyed types a subgraph only extends or joins on: no resolveReference, a reference resolves to the
// representation itself (the key and nothing else); their added fields are checked below.
const STUBS = [
  'analysis Alert',
  'incident Alert',
  'ingestion Customer',
  'incident Customer',
  'endpoint-response Customer',
  'reporting Customer',
  'endpoint-response Incident',
  'incident Sensor',
  'contracts Plan',
  'analysis DetectionRule',
];

let suite: Suite;
const A = { customer: '', contract: '', quote: '', sensor: '', incident: '', endpoint: '' };
const B = { ...A };
const tokens = {} as Record<Role, string>;

function subgraphUrl(name: string): string {
  const p = suite.processes.find((x) => x.name === name);
  if (!p) throw new Error(`no ${name} process`);
  return `http://127.0.0.1:${p.port}/graphql`;
}

async function entities(subgraph: string, token: string, type: string, id: string, selection: string) {
  return gqlRequest<{ _entities: (Record<string, unknown> | null)[] }>(
    subgraphUrl(subgraph),
    token,
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${type} { ${selection} } } }`,
    { r: [{ __typename: type, id }] },
    { 'x-kanshi-gateway-secret': SUBGRAPH_SECRET },
  );
}

beforeAll(async () => {
  suite = await bootSuite();
  const url = suite.gatewayUrl;
  const admin = await tokenFor('provider_admin');
  const engineer = await tokenFor('engineer');
  for (const [t, name] of [
    [A, 'Entity Customer A KK'],
    [B, 'Entity Customer B KK'],
  ] as const) {
    t.customer = (await gqlOk<{ createCustomer: { id: string } }>(url, admin, 'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }', { i: { name, partnerId: null } })).createCustomer.id;
    t.contract = await signContract(url, admin, t.customer);
    t.quote = (await gqlOk<{ contract: { quoteId: string } }>(url, admin, 'query($id: ID!) { contract(id: $id) { quoteId } }', { id: t.contract })).contract.quoteId;
    t.sensor = (
      await eventually(() =>
        gqlOk<{ registerSensor: { sensor: { id: string } } }>(url, admin, 'mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } } }', {
          i: { customerId: t.customer, product: 'FORTIGATE', name: `FGT ${name}` },
        }),
      )
    ).registerSensor.sensor.id;
    t.incident = (
      await eventually(() =>
        gqlOk<{ openIncident: { id: string } }>(url, admin, 'mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }', { i: { customerId: t.customer, severity: 'LOW', title: `Incident of ${name}` } }),
      )
    ).openIncident.id;
    t.endpoint = (
      await eventually(() =>
        gqlOk<{ registerEndpoint: { id: string } }>(url, engineer, 'mutation($i: RegisterEndpointInput!) { registerEndpoint(input: $i) { id } }', {
          i: { customerId: t.customer, hostName: `PC-${name.slice(-4, -3)}`, edrProduct: 'CROWDSTRIKE_FALCON', edrAgentId: `aid-${randomUUID()}` },
        }),
      )
    ).registerEndpoint.id;
  }
  // Customer roles are customer A's; the partner owns none of these customers.
  for (const role of ROLES) tokens[role] = await tokenFor(role, { customerId: A.customer, partnerId: randomUUID(), sub: `entities-${role}` });
}, 240000);

afterAll(async () => {
  await suite?.stop();
});

const rolesOf = (target: string) => {
  const row = [...operations, ...fields].find((r) => r.target === target);
  if (!row) throw new Error(`no row ${target} in the role matrix`);
  return row;
};

const idOf = (type: string): string => ({ Customer: A.customer, Contract: A.contract, Quote: A.quote, Sensor: A.sensor, Incident: A.incident, Endpoint: A.endpoint })[type] ?? randomUUID();

function selectionOf(type: string, field: string): string {
  const f = (schema.getType(type) as GraphQLObjectType).getFields()[field];
  return isLeafType(getNamedType(f.type)) ? field : `${field} { __typename }`;
}

describe('entity references (_entities) of every subgraph, as every role', () => {
  it('covers every entity a subgraph resolves by reference', () => {
    const all = [...ENTITIES].flatMap(([subgraph, types]) => [...types].map((t) => `${subgraph} ${t}`));
    expect(all.filter((e) => !STUBS.includes(e)).sort()).toEqual(REFERENCES.map((r) => `${r.subgraph} ${r.type}`).sort());
  });

  it.each(REFERENCES)('$subgraph $type: refused to the roles "$readBy" does not list', async ({ subgraph, type, readBy }) => {
    const row = rolesOf(readBy);
    for (const role of ROLES) {
      const r = await entities(subgraph, tokens[role], type, idOf(type), '__typename');
      if (row.roles.includes(role)) {
        expect([role, r.errors ?? []]).toEqual([role, []]);
      } else {
        expect([role, r.errors?.[0]]).toEqual([role, expect.objectContaining({ message: `role ${role} may not ${row.action}`, extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
      }
    }
  });
});

describe('fields a subgraph adds to entities, as every role', () => {
  // Every role-checked field of an entity type the subgraph resolves (the others are reached only
  // through queries, which the role matrix e2e covers).
  const cases = fields.filter((f) => ENTITIES.get(f.subgraph)?.has(f.target.split('.')[0]));

  it('covers the fields other subgraphs add to Customer, Alert and Incident', () => {
    expect(cases.map((c) => `${c.subgraph} ${c.target}`)).toEqual(
      expect.arrayContaining(['analysis Alert.verdict', 'contracts Customer.contracts', 'endpoint-response Customer.endpoints', 'incident Customer.incidents', 'incident Incident.alerts', 'ingestion Customer.sensors', 'reporting Customer.reports']),
    );
  });

  it.each(fields.filter((f) => ENTITIES.get(f.subgraph)?.has(f.target.split('.')[0])))('$subgraph $target: FORBIDDEN to the roles its permission does not list', async (row) => {
    const [type, field] = row.target.split('.');
    for (const role of ROLES) {
      const r = await entities(row.subgraph, tokens[role], type, idOf(type), selectionOf(type, field));
      if (row.roles.includes(role)) {
        expect([role, (r.errors ?? []).filter((e) => ['FORBIDDEN', 'UNAUTHENTICATED'].includes(String(e.extensions?.code)))]).toEqual([role, []]);
      } else {
        expect([role, r.errors?.[0]]).toEqual([role, expect.objectContaining({ message: `role ${role} may not ${row.action}`, extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
      }
    }
  });
});

describe("a customer never reads another customer's entity", () => {
  const own = (type: string) => ({ Customer: A.customer, Contract: A.contract, Quote: A.quote, Sensor: A.sensor, Incident: A.incident, Endpoint: A.endpoint })[type]!;
  const other = (type: string) => ({ Customer: B.customer, Contract: B.contract, Quote: B.quote, Sensor: B.sensor, Incident: B.incident, Endpoint: B.endpoint })[type]!;
  const OWNED = [
    ['contracts', 'Customer'],
    ['contracts', 'Contract'],
    ['contracts', 'Quote'],
    ['ingestion', 'Sensor'],
    ['incident', 'Incident'],
    ['endpoint-response', 'Endpoint'],
  ] as const;

  it.each(['customer_admin', 'customer_viewer', 'partner_admin'] as Role[])('as %s: another tenant\'s entities read as null, and fields added to its Customer as empty', async (role) => {
    for (const [subgraph, type] of OWNED) {
      const r = await entities(subgraph, tokens[role], type, other(type), 'id');
      expect([subgraph, type, r.errors, r.data?._entities]).toEqual([subgraph, type, undefined, [null]]);
      // the same call for its own entity answers it (a customer; the partner owns neither)
      const mine = await entities(subgraph, tokens[role], type, own(type), 'id');
      expect([subgraph, type, mine.data?._entities]).toEqual([subgraph, type, [role === 'partner_admin' ? null : { id: own(type) }]]);
    }
    for (const [subgraph, selection, empty] of [
      ['contracts', 'contracts { id }', { contracts: [] }],
      ['ingestion', 'sensors { id }', { sensors: [] }],
      ['incident', 'incidents { edges { node { id } } }', { incidents: { edges: [] } }],
      ['endpoint-response', 'endpoints { id }', { endpoints: [] }],
      ['reporting', 'reports { id }', { reports: [] }],
    ] as const) {
      const r = await entities(subgraph, tokens[role], 'Customer', B.customer, selection);
      // contracts resolves another tenant's Customer itself to null; the others keep the stub and answer nothing in it
      expect([subgraph, r.errors, r.data?._entities]).toEqual([subgraph, undefined, [subgraph === 'contracts' ? null : empty]]);
    }
  });
});
