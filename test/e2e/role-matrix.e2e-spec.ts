import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  buildASTSchema,
  getNamedType,
  GraphQLField,
  GraphQLInputType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  parse,
} from 'graphql';
import { Role, ROLES } from '@kanshi/auth';
import { gqlRequest, GqlResult, tokenFor } from '@kanshi/testing';
import { parseRoleMatrix, ROLE_MATRIX_HEADING, RoleMatrixRow } from '../../scripts/api-reference';
import { Suite } from '../../scripts/suite';
import { bootSuite } from './suite.fixture';

// Every cell of the role matrix (docs/api.md, generated from @CallableBy) through the gateway:
// every query and mutation of the supergraph called as every role with minimal arguments (random
// ids, the first enum value, required input fields only). An allowed role must get past the role
// check (whatever else it gets: NOT_FOUND, BAD_USER_INPUT, data), a refused one must get FORBIDDEN.
jest.setTimeout(600000);

let suite: Suite;
let url: string;
const repoFile = (...parts: string[]) => readFileSync(path.resolve(__dirname, '../..', ...parts).replace(`${path.sep}dist${path.sep}`, path.sep), 'utf8');
const matrix: RoleMatrixRow[] = parseRoleMatrix(repoFile('docs', 'api.md'), ROLE_MATRIX_HEADING);
// What the gateway serves: the committed supergraph (introspection through the gateway is deeper
// than its depth limit).
const schema: GraphQLSchema = buildASTSchema(parse(repoFile('gateway', 'supergraph.graphql')), { assumeValidSDL: true });
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  suite = await bootSuite();
  url = suite.gatewayUrl;
  // Tenant roles carry a partner or customer of their own that owns nothing.
  for (const role of ROLES) tokens[role] = await tokenFor(role, { partnerId: randomUUID(), customerId: randomUUID(), sub: `matrix-${role}` });
}, 180000);

afterAll(async () => {
  await suite?.stop();
});

// A value the type accepts at the GraphQL layer, so that the call reaches the subgraph's guard.
function minimal(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return minimal(type.ofType, name);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = minimal(f.type, f.name);
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return randomUUID();
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'Date':
        return '2030-01-15';
      case 'DateTime':
        return '2030-01-15T00:00:00.000Z';
      case 'JSON':
        return {};
      default:
        return /period/i.test(name) ? '2030-01' : /id$/i.test(name) ? randomUUID() : 'x';
    }
  }
  throw new Error(`no minimal value for ${String(type)}`);
}

function callOf(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): { query: string; variables: Record<string, unknown> } {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const defs = required.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  const variables = Object.fromEntries(required.map((a) => [a.name, minimal(a.type, a.name)]));
  return { query: `${kind}${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`, variables };
}

const codes = (r: GqlResult<unknown>) => (r.errors ?? []).map((e) => String(e.extensions?.code));

describe('the role matrix through the gateway', () => {
  it('has a row for every operation the gateway serves', () => {
    const served = [...Object.keys(schema.getQueryType()!.getFields()).map((n) => `query ${n}`), ...Object.keys(schema.getMutationType()!.getFields()).map((n) => `mutation ${n}`)];
    expect(matrix.map((r) => r.target).sort()).toEqual(served.sort());
  });

  it('answers each role exactly as the matrix says, for every operation', async () => {
    const wrong: string[] = [];
    let cells = 0;
    for (const row of matrix) {
      const [kind, name] = row.target.split(' ') as ['query' | 'mutation', string];
      const field = (kind === 'query' ? schema.getQueryType() : schema.getMutationType())!.getFields()[name];
      const { query, variables } = callOf(kind, field);
      for (const role of ROLES) {
        cells++;
        const r = await gqlRequest(url, tokens[role], query, variables);
        const got = codes(r);
        if (row.roles.includes(role)) {
          if (got.includes('FORBIDDEN') || got.includes('UNAUTHENTICATED')) wrong.push(`${row.target} as ${role}: allowed, but got ${r.errors!.map((e) => `${String(e.extensions?.code)} ${e.message}`).join('; ')}`);
        } else {
          const forbidden = r.errors?.find((e) => e.extensions?.code === 'FORBIDDEN');
          if (!forbidden || forbidden.message !== `role ${role} may not ${row.action}`) {
            wrong.push(`${row.target} as ${role}: refused, but got ${r.errors ? r.errors.map((e) => `${String(e.extensions?.code)} ${e.message}`).join('; ') : JSON.stringify(r.data)}`);
          }
        }
      }
    }
    expect(cells).toBe(matrix.length * ROLES.length);
    expect(wrong).toEqual([]);
  });
});
