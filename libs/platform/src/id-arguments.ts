import type { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  getNullableType,
  GraphQLError,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isListType,
  isScalarType,
  Kind,
  OperationDefinitionNode,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { DomainError } from '@kanshi/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

// Every Kanshi id is a UUID. One that is not is the caller's mistake, named as such, rather than a
// PostgreSQL cast error logged as internal.
export function notAnIdError(field: string, value: string): DomainError {
  return new DomainError('BAD_USER_INPUT', `${field} ${JSON.stringify(value.slice(0, 60))} is not an id (a UUID)`, field);
}

export function assertUuid(value: string, field: string): void {
  if (!isUuid(value)) throw notAnIdError(field, value);
}

function firstNonUuid(value: unknown, type: GraphQLInputType, path: string): { field: string; value: string } | null {
  if (value === null || value === undefined) return null;
  const t = getNullableType(type);
  if (isListType(t)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const bad = firstNonUuid(item, t.ofType, path);
      if (bad) return bad;
    }
    return null;
  }
  if (isScalarType(t)) return t.name === 'ID' && typeof value === 'string' && !UUID.test(value) ? { field: path, value } : null;
  if (isInputObjectType(t) && typeof value === 'object') {
    for (const f of Object.values(t.getFields())) {
      const bad = firstNonUuid((value as Record<string, unknown>)[f.name], f.type, `${path}.${f.name}`);
      if (bad) return bad;
    }
  }
  return null;
}

// The first argument of type ID (or an ID field of an input object, named by its dotted path) that
// the operation gives a value other than a UUID, literally or through a variable.
export function invalidIdArgument(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> = {}): { field: string; value: string } | null {
  const typeInfo = new TypeInfo(schema);
  let found: { field: string; value: string } | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition: (node) => (node === operation ? undefined : false),
      Argument(node) {
        const arg = typeInfo.getArgument();
        if (found || !arg) return;
        // a variable nobody gave is left to GraphQL's own checks
        if (node.value.kind === Kind.VARIABLE && !(node.value.name.value in variables)) return;
        found = firstNonUuid(valueFromAST(node.value, arg.type, variables), arg.type, arg.name);
      },
    }),
  );
  return found;
}

// Installed in every subgraph (subgraphModule): an operation with an ID argument that is no UUID is
// answered BAD_USER_INPUT naming the argument (`field`) before any resolver runs.
export function idArgumentsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          const bad = operation ? invalidIdArgument(schema, document, operation, request.variables ?? {}) : null;
          if (!bad) return;
          const err = notAnIdError(bad.field, bad.value);
          throw new GraphQLError(err.message, { originalError: err, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
        },
      };
    },
  };
}
