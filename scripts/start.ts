import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { signDevToken } from '@kanshi/auth';
import { demoIncidentLoop } from './demo-incident';
import { demoReports } from './demo-reports';
import { devSecret, devSubgraphSecret } from './dev-secret';
import { DATA_DIR, ensureInfra } from './infra';
import { MailSink, startMailSink } from './mail-sink';
import { migrateAll } from './migrate';
import { demoIntakeSensor, intakeCommands, intakeHelp } from './demo-intake';
import { seedDemo } from './seed';
import { startSuite } from './suite';

// `npm start`: the whole suite on this machine with demo data. Ctrl-C stops everything.
async function main(): Promise<void> {
  const t0 = Date.now();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const infra = await ensureInfra().catch((err: Error) => {
    // One line saying what to install or set (InfraError), never a stack trace.
    process.stderr.write(`start failed: ${err.message.split('\n')[0]}\n`);
    process.exit(1);
  });
  infra.notes.forEach((n) => say(`• ${n}`));
  let stopping = false;
  let suite: Awaited<ReturnType<typeof startSuite>> | undefined;
  let mail: MailSink | undefined;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nstopping…');
    await suite?.stop();
    await mail?.stop();
    await infra.stop();
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  try {
    await migrateAll(infra.databaseUrl, (l) => say(`• migrations ${l}`));
    const secret = devSecret();
    mail = await startMailSink(path.join(DATA_DIR, 'mail'));
    say(`• outgoing mail (customer notifications) goes to a local SMTP sink: one .eml file per message in ${mail.dir}`);
    suite = await startSuite({
      databaseUrl: infra.databaseUrl,
      natsUrl: infra.natsUrl,
      natsNamespace: process.env.NATS_NAMESPACE ?? 'kanshi',
      jwtSecret: secret,
      logDir: path.join(DATA_DIR, 'logs'),
      // webhooks may go to a receiver on this machine (never a private network address)
      env: { SUBGRAPH_SECRET: devSubgraphSecret(), SMTP_URL: mail.url, WEBHOOK_ALLOW_LOOPBACK: 'true' },
    });
    say(`• six services and the gateway ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (logs in ${path.join(DATA_DIR, 'logs')})`);
    say(`• the demo MDR customer's EDR: a local CrowdStrike Falcon console on ${suite.edrConsole.url} (its API as endpoint-response's connector speaks it)`);
    const demo = await seedDemo(suite.gatewayUrl, suite.intake.https, secret, suite.edrConsole);
    const seedAdmin = await signDevToken({ sub: 'seed@kanshi.local', role: 'provider_admin' }, secret, 600);
    const sensor = await demoIntakeSensor(suite.gatewayUrl, seedAdmin, demo.directCustomerId);
    const tokens: [string, Parameters<typeof signDevToken>[0]][] = [
      ['provider_admin', { sub: 'admin@soc.kanshi.local', role: 'provider_admin' }],
      ['analyst', { sub: 'analyst@soc.kanshi.local', role: 'analyst' }],
      ['engineer', { sub: 'engineer@soc.kanshi.local', role: 'engineer' }],
      ['sales', { sub: 'sales@soc.kanshi.local', role: 'sales' }],
      ['partner_admin (さくらネットワークス)', { sub: 'admin@sakura-net.example', role: 'partner_admin', partnerId: demo.partnerId }],
      ['customer_admin (東都製作所, partner customer)', { sub: 'it@toto-mfg.example', role: 'customer_admin', customerId: demo.partnerCustomerId }],
      ['customer_viewer (みなと銀行, direct customer)', { sub: 'soc@minato-bank.example', role: 'customer_viewer', customerId: demo.directCustomerId }],
      ['customer_admin (北斗物流, MDR customer)', { sub: 'security@hokuto-logistics.example', role: 'customer_admin', customerId: demo.mdr.customerId }],
    ];
    say(`\nKanshi is up: ${suite.gatewayUrl}\n\nTokens (valid 12 h; send as "Authorization: Bearer <token>"):`);
    for (const [label, claims] of tokens) say(`\n${label}:\n${await signDevToken({ ...claims, sub: claims.sub ?? randomUUID() }, secret)}`);
    say(`\nTry: curl -s ${suite.gatewayUrl} -H 'content-type: application/json' -H "authorization: Bearer <token>" -d '{"query":"{ customers { name sensors { name status } incidents { edges { node { title severity } } } } }"}'`);
    say(`And analysis' verdicts on the demo alerts: curl -s ${suite.gatewayUrl} -H 'content-type: application/json' -H "authorization: Bearer <token>" -d '{"query":"{ alerts(first: 10) { edges { node { ruleName product verdict { severity isolationRecommended reasons { kind text textJa } recommendedActions { text textJa } } } } } }"}'`);
    say('');
    intakeHelp(suite.intake, sensor, intakeCommands(suite.intake, sensor)).forEach(say);
    say(`\nMail sent to customers (notifications): ${mail.dir}`);
    say(`\nIncidents (MDR customer 北斗物流: EDR detection on ${demo.mdr.hostName} pulled from the console -> verdict -> HIGH incident -> mail and call task -> isolation):`);
    for (const line of (await demoIncidentLoop(suite.gatewayUrl, secret, demo.mdr)).lines) say(`• ${line}`);
    say('\nReports:');
    for (const line of await demoReports(suite.gatewayUrl, secret, [demo.partnerCustomerId, demo.directCustomerId])) say(`• ${line}`);
    say('\nCtrl-C stops everything.');
    for (const p of suite.processes) {
      p.child.once('exit', (code) => {
        if (!stopping) {
          say(`${p.name} exited unexpectedly (code ${code}); stopping the suite`);
          void shutdown(1);
        }
      });
    }
  } catch (err) {
    say(`start failed: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown(1);
  }
}

void main();
