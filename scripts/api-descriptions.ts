import { ConstDirectiveNode, DefinitionNode, Kind, parse, StringValueNode } from 'graphql';

export interface Undocumented {
  // `Type`, `Type.field`, `Type.field(arg:)` or `Enum.VALUE`
  coordinate: string;
  // the subgraphs (join__Graph values) that define it
  graphs: string[];
}

// Federation's own definitions in a supergraph: not part of the public API.
const INTERNAL = /^(join__|link__|federation__|_)/;

function graphsOf(directives: readonly ConstDirectiveNode[] | undefined, directive: string): string[] {
  const graphs = (directives ?? [])
    .filter((d) => d.name.value === directive)
    .map((d) => d.arguments?.find((a) => a.name.value === 'graph')?.value)
    .filter((v) => v?.kind === Kind.ENUM)
    .map((v) => (v as { value: string }).value);
  return [...new Set(graphs)].sort();
}

function blank(description: StringValueNode | undefined): boolean {
  return !description || description.value.trim() === '';
}

// Every public type, field, argument and enum value of a supergraph that carries no description,
// sorted by coordinate. Root operation types need none themselves (their fields do).
export function undocumented(supergraphSdl: string): Undocumented[] {
  const doc = parse(supergraphSdl);
  const roots = new Set(['Query', 'Mutation', 'Subscription']);
  for (const def of doc.definitions) {
    if (def.kind === Kind.SCHEMA_DEFINITION) for (const op of def.operationTypes) roots.add(op.type.name.value);
  }
  const out: Undocumented[] = [];
  for (const def of doc.definitions as readonly DefinitionNode[]) {
    if (
      def.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      def.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      def.kind !== Kind.INPUT_OBJECT_TYPE_DEFINITION &&
      def.kind !== Kind.ENUM_TYPE_DEFINITION &&
      def.kind !== Kind.UNION_TYPE_DEFINITION &&
      def.kind !== Kind.SCALAR_TYPE_DEFINITION
    ) {
      continue;
    }
    const name = def.name.value;
    if (INTERNAL.test(name)) continue;
    const typeGraphs = graphsOf(def.directives, 'join__type');
    if (!roots.has(name) && blank(def.description)) out.push({ coordinate: name, graphs: typeGraphs });
    if (def.kind === Kind.ENUM_TYPE_DEFINITION) {
      for (const v of def.values ?? []) {
        const graphs = graphsOf(v.directives, 'join__enumValue');
        if (blank(v.description)) out.push({ coordinate: `${name}.${v.name.value}`, graphs: graphs.length ? graphs : typeGraphs });
      }
    }
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.INTERFACE_TYPE_DEFINITION || def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      for (const f of def.fields ?? []) {
        const fieldGraphs = graphsOf(f.directives, 'join__field');
        const graphs = fieldGraphs.length ? fieldGraphs : typeGraphs;
        if (blank(f.description)) out.push({ coordinate: `${name}.${f.name.value}`, graphs });
        if (f.kind === Kind.FIELD_DEFINITION) {
          for (const a of f.arguments ?? []) {
            if (blank(a.description)) out.push({ coordinate: `${name}.${f.name.value}(${a.name.value}:)`, graphs });
          }
        }
      }
    }
  }
  return out.sort((a, b) => (a.coordinate < b.coordinate ? -1 : a.coordinate > b.coordinate ? 1 : 0));
}

// Counts for the report: how many public items there are and how many carry a description.
export function descriptionCoverage(supergraphSdl: string): { items: number; undocumented: number } {
  const missing = undocumented(supergraphSdl).length;
  const doc = parse(supergraphSdl);
  let items = 0;
  for (const def of doc.definitions) {
    if (!('name' in def) || !def.name || INTERNAL.test(def.name.value) || def.kind === Kind.DIRECTIVE_DEFINITION) continue;
    if (!['Query', 'Mutation', 'Subscription'].includes(def.name.value)) items++;
    if (def.kind === Kind.ENUM_TYPE_DEFINITION) items += def.values?.length ?? 0;
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.INTERFACE_TYPE_DEFINITION || def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      for (const f of def.fields ?? []) items += 1 + (f.kind === Kind.FIELD_DEFINITION ? (f.arguments?.length ?? 0) : 0);
    }
  }
  return { items, undocumented: missing };
}
