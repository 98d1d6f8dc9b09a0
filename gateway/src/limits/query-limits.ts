import {
  ASTVisitor,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
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
  ValueNode,
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

// Static cost: every field costs 1 times the sizes of the lists above it. A list's size is its
// `first` argument (a connection's edges take the size of the connection's `first`), else
// DEFAULT_LIST_SIZE. Variables are unknown at validation, so a `first: $n` counts as MAX_PAGE.
const DEFAULT_LIST_SIZE = 20;
const MAX_PAGE = 200;

function pageSize(value: ValueNode | undefined): number | undefined {
  if (!value) return undefined;
  if (value.kind === Kind.INT) return Math.max(1, Math.min(Number(value.value), 1000));
  if (value.kind === Kind.VARIABLE) return MAX_PAGE;
  return undefined;
}

export function costLimit(max: number): ValidationRule {
  return (context) =>
    eachOperation(context, (_op, walkOp) => {
      let cost = 0;
      // `first` on a connection field applies to its edges list below.
      const pending: number[] = [];
      walkOp((v) => {
        cost += v.multiplier;
        const first = pageSize(v.field.arguments?.find((a) => a.name.value === 'first')?.value);
        if (v.isList) return v.multiplier * (first ?? pending.pop() ?? DEFAULT_LIST_SIZE);
        if (first !== undefined) pending.push(first);
        return v.multiplier;
      });
      if (cost > max) context.reportError(limitError(`query cost ${cost} exceeds the limit of ${max}`, 'QUERY_TOO_EXPENSIVE'));
    });
}
