import { execFileSync } from 'node:child_process';
import { TEST_JWT_SECRET, tokenFor, gqlOk } from '@kanshi/testing';
import { Suite } from '../../scripts/suite';
import { seedDemo } from '../../scripts/seed';
import { demoIntakeSensor, intakeCommands, intakeHelp } from '../../scripts/demo-intake';
import { bootSuite } from './suite.fixture';

// What `npm start` prints for sensors: every intake is on, and each printed command, run as a
// user would paste it into a shell, puts an alert into `alerts`.
let suite: Suite;

beforeAll(async () => {
  suite = await bootSuite();
}, 180_000);
afterAll(() => suite?.stop(), 60_000);

it('prints one working command per intake transport', async () => {
  const demo = await seedDemo(suite.gatewayUrl, suite.intake.https, TEST_JWT_SECRET);
  const admin = await tokenFor('provider_admin');
  const sensor = await demoIntakeSensor(suite.gatewayUrl, admin, demo.directCustomerId);
  const commands = intakeCommands(suite.intake, sensor);
  const printed = intakeHelp(suite.intake, sensor, commands).join('\n');
  expect(commands.map((c) => c.transport)).toEqual(['HTTPS', 'syslog UDP', 'syslog TCP', 'SMTP']);
  for (const c of commands) {
    expect(printed).toContain(c.command);
    execFileSync('/bin/sh', ['-c', c.command], { stdio: 'pipe', timeout: 15_000 });
  }
  const deadline = Date.now() + 30_000;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    const { alerts } = await gqlOk<{ alerts: { edges: { node: { ruleName: string } }[] } }>(suite.gatewayUrl, admin, 'query($s: ID) { alerts(first: 50, filter: { sensorId: $s }) { edges { node { ruleName } } } }', { s: sensor.sensorId });
    seen = alerts.edges.map((e) => e.node.ruleName);
    if (commands.every((c) => seen.includes(c.ruleName))) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  expect([...seen].sort()).toEqual(commands.map((c) => c.ruleName).sort());
  // A second start rotates the demo token: the printed commands carry the new one.
  const again = await demoIntakeSensor(suite.gatewayUrl, admin, demo.directCustomerId);
  expect(again.sensorId).toBe(sensor.sensorId);
  expect(again.token).not.toBe(sensor.token);
}, 180_000);
