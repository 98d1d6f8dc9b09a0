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
