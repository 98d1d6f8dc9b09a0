// The processes of the suite, their schemas and ports: one list for the runner, the migrator,
// the compose script, the e2e tests and the benchmarks. `port` is the internal one (subgraph
// GraphQL, metrics, health: only the gateway and operators call it); `publicPort` serves the
// routes for the outside world (sensors' intake, Stripe's webhook, report downloads).
// (publicPort 0: none)
export const SERVICES = [
  { name: 'contracts', schema: 'contracts', port: 4101, publicPort: 4201 },
  { name: 'ingestion', schema: 'ingestion', port: 4102, publicPort: 4202 },
  { name: 'analysis', schema: 'analysis', port: 4103, publicPort: 0 },
  { name: 'incident', schema: 'incident', port: 4104, publicPort: 0 },
  { name: 'endpoint-response', schema: 'endpoint_response', port: 4105, publicPort: 0 },
  { name: 'reporting', schema: 'reporting', port: 4106, publicPort: 4206 },
] as const;

// The development intake listeners `npm start` turns on (ingestion; 0 would switch one off).
export const DEV_INTAKE_PORTS = { SYSLOG_UDP_PORT: 5514, SYSLOG_TCP_PORT: 5514, SMTP_PORT: 2525 } as const;

export const GATEWAY_PORT = 4000;

// The demo's local EDR console (a CrowdStrike Falcon API the demo MDR customer's connector points at).
export const DEV_EDR_CONSOLE_PORT = 4301;

export type ServiceName = (typeof SERVICES)[number]['name'];

// dist/ holds the compiled processes, whether the caller runs from dist/scripts or from the
// TypeScript sources (tests).
import * as path from 'node:path';
export function distDir(): string {
  return __dirname.split(path.sep).includes('dist') ? path.resolve(__dirname, '..') : path.resolve(__dirname, '..', 'dist');
}
