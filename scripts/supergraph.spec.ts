import { readFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from './compose-supergraph';

// The gateway serves the committed supergraph: it must be what the subgraphs' code composes to.
describe('gateway/supergraph.graphql', () => {
  it('is up to date with the six subgraphs (run `npm run compose` when this fails)', async () => {
    const fresh = await composeSupergraph();
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(fresh);
  }, 60000);

  it('joins Customer across the subgraphs that extend it', () => {
    const sdl = readFileSync(SUPERGRAPH_PATH, 'utf8');
    for (const graph of ['CONTRACTS', 'INGESTION', 'INCIDENT', 'ENDPOINT_RESPONSE', 'REPORTING']) {
      expect(sdl).toMatch(new RegExp(`type Customer[^{]*@join__type\\(graph: ${graph}, key: "id"\\)`));
    }
  });
});
