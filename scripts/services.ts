// The processes of the suite, their schemas and ports: one list for the runner, the migrator,
// the compose script, the e2e tests and the benchmarks.
export const SERVICES = [
  { name: 'contracts', schema: 'contracts', port: 4101 },
  { name: 'ingestion', schema: 'ingestion', port: 4102 },
  { name: 'analysis', schema: 'analysis', port: 4103 },
  { name: 'incident', schema: 'incident', port: 4104 },
  { name: 'endpoint-response', schema: 'endpoint_response', port: 4105 },
  { name: 'reporting', schema: 'reporting', port: 4106 },
] as const;

export const GATEWAY_PORT = 4000;

export type ServiceName = (typeof SERVICES)[number]['name'];

// dist/ holds the compiled processes, whether the caller runs from dist/scripts or from the
// TypeScript sources (tests).
import * as path from 'node:path';
export function distDir(): string {
  return __dirname.split(path.sep).includes('dist') ? path.resolve(__dirname, '..') : path.resolve(__dirname, '..', 'dist');
}
