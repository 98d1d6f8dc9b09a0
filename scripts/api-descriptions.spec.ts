import { readFileSync } from 'node:fs';
import { undocumented } from './api-descriptions';
import { SUPERGRAPH_PATH } from './compose-supergraph';

// Partners read the API from the schema alone: every public type, field, argument and enum value
// in the committed supergraph says what it means.
describe('gateway/supergraph.graphql descriptions', () => {
  it('lists no undocumented type, field, argument or enum value', () => {
    const missing = undocumented(readFileSync(SUPERGRAPH_PATH, 'utf8'));
    expect(missing.map((m) => `${m.coordinate} (${m.graphs.join(', ')})`)).toEqual([]);
  });

  it('finds what is undocumented, ignoring federation internals', () => {
    const sdl = `
      directive @join__type(graph: join__Graph!, key: join__FieldSet) repeatable on OBJECT | INPUT_OBJECT | ENUM | SCALAR
      directive @join__field(graph: join__Graph) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
      scalar join__FieldSet
      enum join__Graph { A @join__graph(name: "a", url: "x") B @join__graph(name: "b", url: "y") }
      type Query @join__type(graph: A) @join__type(graph: B) {
        "All things" things(
          "Up to this many" first: Int
          after: String
        ): [Thing!]! @join__field(graph: A)
        other: Int @join__field(graph: B)
      }
      "A thing" type Thing @join__type(graph: A, key: "id") { id: ID! "Its colour" colour: Colour! }
      enum Colour @join__type(graph: A) { "Red" RED BLUE }
      input Filter @join__type(graph: B) { "text" q: String }
      scalar Money @join__type(graph: A)
    `;
    expect(undocumented(sdl).map((m) => `${m.coordinate} ${m.graphs.join(',')}`)).toEqual([
      'Colour A',
      'Colour.BLUE A',
      'Filter B',
      'Money A',
      'Query.other B',
      'Query.things(after:) A',
      'Thing.id A',
    ]);
  });
});
