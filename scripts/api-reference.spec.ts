import { GraphQLID, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { ANY_CALLER, renderApiReference, subgraphReference } from './api-reference';

function schema(): GraphQLSchema {
  const Thing = new GraphQLObjectType({
    name: 'Thing',
    fields: {
      id: { type: new GraphQLNonNull(GraphQLID) },
      secret: { type: GraphQLString, extensions: { permission: { action: 'read secrets', roles: ['provider_admin'] } } },
    },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        things: { type: Thing, description: 'Things you may see', args: { first: { type: GraphQLInt, defaultValue: 20, description: 'Page size' } } },
        _service: { type: GraphQLString },
        anything: { type: GraphQLString, deprecationReason: 'Use things' },
      },
    }),
    mutation: new GraphQLObjectType({
      name: 'Mutation',
      fields: {
        removeThing: {
          type: Thing,
          description: 'Removes a | thing',
          args: { id: { type: new GraphQLNonNull(GraphQLID), description: 'The thing' } },
          extensions: { permission: { action: 'remove things', roles: ['provider_admin', 'sales'] } },
        },
      },
    }),
  });
}

describe('API reference', () => {
  const errors: { name: string; codes: Record<string, string> }[] = [
    { name: 'ThingError', codes: { THING_NOT_FOUND: 'NOT_FOUND', FORBIDDEN: 'FORBIDDEN' } },
    { name: 'AccessError', codes: { FORBIDDEN: 'FORBIDDEN' } },
  ];

  it('reads operations, their arguments, the roles from @CallableBy and the error reasons, sorted', () => {
    const ref = subgraphReference(schema(), errors);
    expect(ref.operations.map((o) => `${o.kind} ${o.name}`)).toEqual(['query anything', 'query things', 'mutation removeThing']);
    expect(ref.operations[1]).toMatchObject({ returns: 'Thing', args: [{ name: 'first', type: 'Int', description: 'Page size', defaultValue: '20' }], permission: null, deprecated: null });
    expect(ref.operations[0].deprecated).toBe('Use things');
    expect(ref.operations[2].permission).toEqual({ action: 'remove things', roles: ['provider_admin', 'sales'] });
    expect(ref.fields).toEqual([{ type: 'Thing', name: 'secret', permission: { action: 'read secrets', roles: ['provider_admin'] } }]);
    expect(ref.errors).toEqual([
      { reason: 'FORBIDDEN', code: 'FORBIDDEN', definedBy: 'AccessError' },
      { reason: 'FORBIDDEN', code: 'FORBIDDEN', definedBy: 'ThingError' },
      { reason: 'THING_NOT_FOUND', code: 'NOT_FOUND', definedBy: 'ThingError' },
    ]);
  });

  it('renders who may call each operation, and the same text whatever order the inputs came in', () => {
    const a = { name: 'a', reference: subgraphReference(schema(), errors) };
    const b = { name: 'b', reference: subgraphReference(schema(), [...errors].reverse()) };
    const md = renderApiReference([b, a]);
    expect(md).toBe(renderApiReference([a, b]));
    expect(md.indexOf('## a')).toBeLessThan(md.indexOf('## b'));
    expect(md).toContain('#### `things(first: Int = 20): Thing`');
    expect(md).toContain(`Callable by: ${ANY_CALLER}.`);
    expect(md).toContain('Callable by: `provider_admin`, `sales` (to remove things).');
    expect(md).toContain('| `id` | `ID!` | The thing |');
    expect(md).toContain('| `THING_NOT_FOUND` | `NOT_FOUND` | ThingError |');
    expect(md).toContain('#### `anything: String`\n\n**Deprecated**: Use things\n');
    // the role matrix: one row per operation and per role-checked field
    expect(md).toContain('| a | mutation `removeThing` | remove things | ✓ | · | · | ✓ | · | · | · |');
    expect(md).toContain('| a | query `things` | (none: refused to every role) | · | · | · | · | · | · | · |');
    expect(md).toContain('| b | `Thing.secret` | read secrets | ✓ | · | · | · | · | · | · |');
  });
});
