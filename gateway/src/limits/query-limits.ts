import type { ApolloServerPlugin } from '@apollo/server';
import {
  ASTVisitor,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLField,
  getNullableType,
  GraphQLError,
  GraphQLNamedType,
  GraphQLSchema,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';

function limitError(message: string, code: string): GraphQLError {
  // Apollo Server reports every validation error as GRAPHQL_VALIDATION_FAILED; `limit` survives.
  return new GraphQLError(message, { extensions: { code, limit: code } });
}

interface Visit {
  field: FieldNode;
  depth: number;
  multiplier: number;
  isList: boolean;
}

// Walks an operation's selections with their types, following fragment spreads (a spread used
// twice counts twice, as it costs twice); cyclic spreads are cut (graphql-js rejects them anyway).
function walk(
  schema: GraphQLSchema,
  set: SelectionSetNode,
  parent: GraphQLNamedType | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  visit: (v: Visit) => number,
  depth: number,
  multiplier: number,
  seen: Set<string>,
): void {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const def = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[sel.name.value] : undefined;
      const isList = def ? isListType(getNullableType(def.type)) : false;
      const childMultiplier = visit({ field: sel, depth, multiplier, isList });
      if (sel.selectionSet) walk(schema, sel.selectionSet, def ? getNamedType(def.type) : undefined, fragments, visit, depth + 1, childMultiplier, seen);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const t = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
      walk(schema, sel.selectionSet, t ?? undefined, fragments, visit, depth, multiplier, seen);
    } else {
      const name = sel.name.value;
      const frag = fragments[name];
      if (seen.has(name) || !frag) continue;
      seen.add(name);
      walk(schema, frag.selectionSet, schema.getType(frag.typeCondition.name.value) ?? undefined, fragments, visit, depth, multiplier, seen);
      seen.delete(name);
    }
  }
}

function eachOperation(context: ValidationContext, fn: (op: OperationDefinitionNode, walkOp: (visit: (v: Visit) => number) => void) => void): ASTVisitor {
  return {
    Document(doc) {
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
      const schema = context.getSchema();
      for (const d of doc.definitions) {
        if (d.kind !== Kind.OPERATION_DEFINITION) continue;
        const root = schema.getRootType(d.operation) ?? undefined;
        fn(d, (visit) => walk(schema, d.selectionSet, root, fragments, visit, 0, 1, new Set()));
      }
      return false;
    },
  };
}

export function depthLimit(max: number): ValidationRule {
  return (context) =>
    eachOperation(context, (_op, walkOp) => {
      let deepest = 0;
      walkOp((v) => ((deepest = Math.max(deepest, v.depth + 1)), v.multiplier));
      if (deepest > max) context.reportError(limitError(`query depth ${deepest} exceeds the limit of ${max}`, 'QUERY_TOO_DEEP'));
    });
}

export function aliasLimit(max: number): ValidationRule {
  return (context) =>
    eachOperation(context, (_op, walkOp) => {
      let aliases = 0;
      walkOp((v) => (v.field.alias && aliases++, v.multiplier));
      if (aliases > max) context.reportError(limitError(`${aliases} aliases exceed the limit of ${max}`, 'TOO_MANY_ALIASES'));
    });
}

// Static cost: every field costs 1 times the sizes of the lists above it (nested lists multiply).
// A list's size is its own `first`/`limit` argument; a connection's `first` sizes the lists directly
// below it (its `edges`, `nodes`) and nothing else, so a page size never leaks to a sibling field.
// The size is the literal, else the variable's value, else (variable absent, unknown at validation,
// or argument omitted without a default) the argument's declared maximum ("1 to 200", "1-200",
// "at most 500" in its description; 200, the platform's page maximum, when none is declared).
// A list with no size argument is priced at UNBOUNDED_LIST_SIZE.
export const UNBOUNDED_LIST_SIZE = 100;
export const DEFAULT_PAGE_MAXIMUM = 200;
const SIZE_ARGUMENTS = ['first', 'limit'];

export function declaredMaximum(description: string | null | undefined): number {
  const range = /\b\d+\s*(?:to|-|–)\s*(\d+)\b/.exec(description ?? '') ?? /\bat most (\d+)\b/i.exec(description ?? '');
  return range ? Number(range[1]) : DEFAULT_PAGE_MAXIMUM;
}

interface CostScope {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  // undefined at validation time: every variable is priced at its argument's declared maximum
  variables?: Record<string, unknown>;
}

function sizeOf(def: GraphQLField<unknown, unknown>, field: FieldNode, scope: CostScope): number | undefined {
  for (const name of SIZE_ARGUMENTS) {
    const arg = def.args.find((a) => a.name === name);
    if (!arg) continue;
    const value = field.arguments?.find((a) => a.name.value === name)?.value;
    let size: number | undefined;
    if (value?.kind === Kind.INT) size = Number(value.value);
    else if (value?.kind === Kind.VARIABLE) {
      const given = scope.variables?.[value.name.value];
      size = typeof given === 'number' ? given : undefined;
    } else if (!value && typeof arg.defaultValue === 'number') size = arg.defaultValue;
    return Math.max(1, size ?? declaredMaximum(arg.description));
  }
  return undefined;
}

function selectionCost(set: SelectionSetNode, parent: GraphQLNamedType | undefined, scope: CostScope, multiplier: number, pageForLists: number | undefined, seen: Set<string>): number {
  let cost = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      cost += multiplier;
      if (!sel.selectionSet) continue;
      const def = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[sel.name.value] : undefined;
      const own = def ? sizeOf(def, sel, scope) : undefined;
      const isList = def ? isListType(getNullableType(def.type)) : false;
      const child = def ? getNamedType(def.type) : undefined;
      cost += isList
        ? selectionCost(sel.selectionSet, child, scope, multiplier * (own ?? pageForLists ?? UNBOUNDED_LIST_SIZE), undefined, seen)
        : selectionCost(sel.selectionSet, child, scope, multiplier, own, seen);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const t = sel.typeCondition ? scope.schema.getType(sel.typeCondition.name.value) : parent;
      cost += selectionCost(sel.selectionSet, t ?? undefined, scope, multiplier, pageForLists, seen);
    } else {
      const name = sel.name.value;
      const frag = scope.fragments[name];
      if (seen.has(name) || !frag) continue;
      seen.add(name);
      cost += selectionCost(frag.selectionSet, scope.schema.getType(frag.typeCondition.name.value) ?? undefined, scope, multiplier, pageForLists, seen);
      seen.delete(name);
    }
  }
  return cost;
}

// The cost of one operation of a document; with `variables` (at execution), a `first: $n` is priced
// at the value given.
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables?: Record<string, unknown>): number {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const root = schema.getRootType(operation.operation) ?? undefined;
  return selectionCost(operation.selectionSet, root, { schema, fragments, variables }, 1, undefined, new Set());
}

function costError(cost: number, max: number): GraphQLError {
  return limitError(`query cost ${cost} exceeds the limit of ${max}`, 'QUERY_TOO_EXPENSIVE');
}

// At validation, variables are unknown: each is priced at its argument's declared maximum.
export function costLimit(max: number): ValidationRule {
  return (context) =>
    eachOperation(context, (op) => {
      const cost = operationCost(context.getSchema(), context.getDocument(), op);
      if (cost > max) context.reportError(costError(cost, max));
    });
}

// The gateway prices each request with its variables, once the operation is known (before any
// subgraph is called); the answer is the same as a validation error's.
export function costLimitPlugin(max: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const cost = operationCost(schema, document, operation, request.variables);
          if (cost <= max) return;
          throw new GraphQLError(costError(cost, max).message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'QUERY_TOO_EXPENSIVE', http: { status: 400 } } });
        },
      };
    },
  };
}
