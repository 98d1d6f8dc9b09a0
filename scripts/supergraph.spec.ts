import { readFileSync } from 'node:fs';
import { API_REFERENCE_PATH, composeAll, Composed, SUPERGRAPH_PATH } from './compose-supergraph';

// The gateway serves the committed supergraph: it must be what the subgraphs' code composes to.
// docs/api.md is generated from the same code, so it goes stale in the same changes.
describe('gateway/supergraph.graphql and docs/api.md', () => {
  let fresh: Composed;
  beforeAll(async () => {
    fresh = await composeAll();
  }, 240000);

  it('is up to date with the six subgraphs (run `npm run compose` when this fails)', () => {
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(fresh.supergraph);
  });

  it('docs/api.md is up to date with the six subgraphs (run `npm run compose` when this fails)', () => {
    expect(readFileSync(API_REFERENCE_PATH, 'utf8')).toBe(fresh.apiReference);
  });

  it('joins Customer across the subgraphs that extend it', () => {
    const sdl = readFileSync(SUPERGRAPH_PATH, 'utf8');
    for (const graph of ['CONTRACTS', 'INGESTION', 'INCIDENT', 'ENDPOINT_RESPONSE', 'REPORTING']) {
      expect(sdl).toMatch(new RegExp(`type Customer[^{]*@join__type\\(graph: ${graph}, key: "id"\\)`));
    }
  });
});
