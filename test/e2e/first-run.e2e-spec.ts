import { execFileSync } from 'node:child_process';
import { TEST_JWT_SECRET, tokenFor, gqlOk } from '@kanshi/testing';
import { Suite } from '../../scripts/suite';
import { DemoData, seedDemo } from '../../scripts/seed';
import { demoIncidentLoop, ISOLATION_QUERY } from '../../scripts/demo-incident';
import { DEMO_EDR_VICTIM } from '../../scripts/demo-edr';
import { demoIntakeSensor, intakeCommands, intakeHelp } from '../../scripts/demo-intake';
import { bootSuite } from './suite.fixture';

// What `npm start` does: every intake is on, and each printed command, run as a user would paste
// it into a shell, puts an alert into `alerts`; the demo MDR customer's host is isolated end to end
// through the local EDR console, unattended.
let suite: Suite;
let demo: DemoData;

beforeAll(async () => {
  suite = await bootSuite();
  demo = await seedDemo(suite.gatewayUrl, suite.intake.https, TEST_JWT_SECRET, suite.edrConsole);
}, 300_000);
afterAll(() => suite?.stop(), 60_000);

it('prints one working command per intake transport', async () => {
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

it('isolates the demo MDR customer’s host end to end: EDR detection -> HIGH incident -> mail and call task -> ISOLATED, the incident CONTAINED', async () => {
  const admin = await tokenFor('provider_admin');
  const edr = suite.edrConsole.server;
  // the connector went in through configureEdrConnector and the inventory sync learned the hosts from the console
  const { edrConnectors } = await gqlOk<{ edrConnectors: { product: string; baseUrl: string; sensorId: string }[] }>(suite.gatewayUrl, admin, 'query($c: ID!) { edrConnectors(customerId: $c) { product baseUrl sensorId } }', { c: demo.mdr.customerId });
  expect(edrConnectors).toEqual([{ product: 'CROWDSTRIKE_FALCON', baseUrl: suite.edrConsole.url, sensorId: demo.mdr.sensorId }]);
  expect(demo.mdr.detectionAdded).toBe(true);

  const outcome = await demoIncidentLoop(suite.gatewayUrl, TEST_JWT_SECRET, demo.mdr, 150_000);
  expect(outcome.isolation).toMatchObject({ status: 'ISOLATED', requestedBy: 'system:auto-isolation', endpoint: { hostName: DEMO_EDR_VICTIM.hostName, edrAgentId: DEMO_EDR_VICTIM.agentId } });
  expect(outcome.lines).toContain(`isolation outcome: host ${DEMO_EDR_VICTIM.hostName} (CrowdStrike agent ${DEMO_EDR_VICTIM.agentId}) ISOLATED`);
  expect(outcome.incidents).toHaveLength(1);
  const [incident] = outcome.incidents;
  expect(incident.status).toBe('CONTAINED');
  expect(incident.notifications.map((n) => n.channel).sort()).toEqual(['EMAIL', 'PHONE']);

  // the console was asked to contain the host once, and shows it contained
  expect(edr.actionCount(DEMO_EDR_VICTIM.agentId, 'contain')).toBe(1);
  expect(edr.actions).toHaveLength(1);
  expect(edr.host(DEMO_EDR_VICTIM.agentId)?.state).toBe('contained');

  // endpoint-response's outcome is on the incident's timeline
  const { incident: withTimeline } = await gqlOk<{ incident: { timeline: { kind: string; actor: string; text: string }[] } }>(suite.gatewayUrl, admin, 'query($id: ID!) { incident(id: $id) { timeline { kind actor text } } }', { id: incident.id });
  expect(withTimeline.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'ISOLATION', actor: 'system:endpoint-response', text: `${DEMO_EDR_VICTIM.hostName} isolated via CROWDSTRIKE_FALCON` })]));

  // the printed query answers what the start output says
  const { isolations } = await gqlOk<{ isolations: { status: string; endpoint: { hostName: string; isolated: boolean }; incident: { status: string } }[] }>(suite.gatewayUrl, admin, ISOLATION_QUERY);
  expect(isolations).toEqual([expect.objectContaining({ status: 'ISOLATED', endpoint: expect.objectContaining({ hostName: DEMO_EDR_VICTIM.hostName, isolated: true }), incident: expect.objectContaining({ status: 'CONTAINED' }) })]);

  // a second seed (the next start) adds no detection and asks for no second containment
  const again = await seedDemo(suite.gatewayUrl, suite.intake.https, TEST_JWT_SECRET, suite.edrConsole);
  expect(again.mdr).toMatchObject({ customerId: demo.mdr.customerId, detectionAdded: false });
  expect(edr.actionCount(DEMO_EDR_VICTIM.agentId, 'contain')).toBe(1);
}, 240_000);
