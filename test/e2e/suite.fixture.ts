import { randomBytes } from 'node:crypto';
import { isolatedDatabaseUrl, TEST_JWT_SECRET, testNamespace, testNatsUrl } from '@kanshi/testing';
import { startSuite, Suite } from '../../scripts/suite';

// All seven processes from dist/ (built by `npm test`), on ports offset from the dev defaults
// so a running `npm start` does not get in the way (and, per jest worker, e2e files in parallel).
// E2E_PORT_BASE moves a whole run (two checkouts testing on one machine at once).
export const PORT_OFFSET = Number(process.env.E2E_PORT_BASE ?? 0) + 1000 * Number(process.env.JEST_WORKER_ID ?? 1);

// The gateway's credential towards the subgraphs: specs calling a subgraph directly send it.
export const SUBGRAPH_SECRET = 'e2e-subgraph-secret-e2e-subgraph-secret';

// `databaseUrl`: a database of the file's own (isolatedDatabaseUrl()) it wants to read with SQL.
export async function bootSuite(opts: { databaseUrl?: string } = {}): Promise<Suite> {
  return startSuite({
    // Each e2e file sees only what it created.
    databaseUrl: opts.databaseUrl ?? (await isolatedDatabaseUrl()),
    natsUrl: testNatsUrl(),
    natsNamespace: `${testNamespace()}${randomBytes(2).toString('hex')}`,
    jwtSecret: TEST_JWT_SECRET,
    portOffset: PORT_OFFSET,
    env: { LOG_LEVEL: 'warn', NODE_ENV: 'test', SUBGRAPH_SECRET },
    onLine: process.env.KANSHI_E2E_LOGS ? (name, line) => process.stdout.write(`[${name}] ${line}\n`) : undefined,
    readyTimeoutMs: 90000,
  });
}
