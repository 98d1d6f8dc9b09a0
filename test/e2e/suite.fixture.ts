import { randomBytes } from 'node:crypto';
import { isolatedDatabaseUrl, TEST_JWT_SECRET, testNamespace, testNatsUrl } from '@kanshi/testing';
import { startSuite, Suite } from '../../scripts/suite';

// All seven processes from dist/ (built by `npm test`), on ports offset from the dev defaults
// so a running `npm start` does not get in the way.
export const PORT_OFFSET = 1000;

export async function bootSuite(): Promise<Suite> {
  return startSuite({
    // Each e2e file sees only what it created.
    databaseUrl: await isolatedDatabaseUrl(),
    natsUrl: testNatsUrl(),
    natsNamespace: `${testNamespace()}${randomBytes(2).toString('hex')}`,
    jwtSecret: TEST_JWT_SECRET,
    portOffset: PORT_OFFSET,
    env: { LOG_LEVEL: 'warn', NODE_ENV: 'test' },
    onLine: process.env.KANSHI_E2E_LOGS ? (name, line) => process.stdout.write(`[${name}] ${line}\n`) : undefined,
    readyTimeoutMs: 90000,
  });
}
