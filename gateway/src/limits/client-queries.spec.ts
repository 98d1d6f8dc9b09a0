// The limits' defaults must let the project's own clients through: every GraphQL operation in the
// README, the docs, the demo and seed scripts and the end-to-end specs is priced here against the
// composed API schema (operations the schema does not know, like _entities, are left out).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { DocumentNode, parse, specifiedRules, validate } from 'graphql';
import { loadConfig } from '../config';
import { aliasLimit, depthLimit, operationCost } from './query-limits';

const root = path.resolve(__dirname, '../../..');
const schema = Supergraph.build(readFileSync(`${root}/gateway/supergraph.graphql`, 'utf8')).apiSchema().toGraphQLJSSchema();
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });

// GraphQL in string and template literals and in ```graphql blocks; interpolations become a string.
function clientOperations(): { file: string; query: string; doc: DocumentNode }[] {
  const sources = [`${root}/README.md`, ...files(`${root}/docs`), ...files(`${root}/scripts`), ...files(`${root}/test/e2e`)].filter((f) => /\.(ts|md)$/.test(f));
  const out: { file: string; query: string; doc: DocumentNode }[] = [];
  for (const file of sources) {
    for (const m of readFileSync(file, 'utf8').matchAll(/`([^`]*)`|'((?:query|mutation)[^'\n]*|\{[^'\n]*\})'|```graphql\n([\s\S]*?)```/g)) {
      const query = (m[1] ?? m[2] ?? m[3] ?? '').trim().replace(/\$\{[^}]*\}/g, '"x"');
      if (!/^(query|mutation|\{)/.test(query)) continue;
      let doc: DocumentNode;
      try {
        doc = parse(query);
      } catch {
        continue; // not GraphQL
      }
      if (validate(schema, doc, specifiedRules).length === 0) out.push({ file: path.relative(root, file), query, doc });
    }
  }
  return out;
}

describe("the gateway's default limits and the project's own clients", () => {
  const config = loadConfig({ JWT_SECRET: 's'.repeat(32), NODE_ENV: 'test' });
  const operations = clientOperations();

  it('finds the operations', () => {
    expect(operations.length).toBeGreaterThan(50);
  });

  it('lets every operation through: tokens, depth, aliases and cost (variables at their declared maximum)', () => {
    const refused: string[] = [];
    for (const { file, query, doc } of operations) {
      try {
        parse(query, { maxTokens: config.MAX_QUERY_TOKENS });
      } catch (err) {
        refused.push(`${file}: ${(err as Error).message}`);
      }
      for (const e of validate(schema, doc, [depthLimit(config.MAX_QUERY_DEPTH), aliasLimit(config.MAX_ALIASES)])) refused.push(`${file}: ${e.message}`);
      for (const d of doc.definitions) {
        if (d.kind !== 'OperationDefinition') continue;
        const cost = operationCost(schema, doc, d);
        if (cost > config.MAX_QUERY_COST) refused.push(`${file}: cost ${cost} of ${query.slice(0, 80)}`);
      }
    }
    expect(refused).toEqual([]);
  });
});
