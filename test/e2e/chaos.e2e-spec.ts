// The chaos run's short profile (issue 16): the whole suite on its own embedded PostgreSQL and
// nats-server under a mixed load while a service is killed, NATS and PostgreSQL restart, a
// process is paused past the consumers' ack wait and the mail relay refuses mail; then nothing
// sent by a sender that resends until answered is lost or stored twice, every alert has one
// verdict, nothing is stuck and no process died on its own. `npm run chaos` is the full profile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { faultPlan, optionsFromEnv, report, runChaos } from '../../scripts/chaos/run';

jest.setTimeout(15 * 60_000);

describe('chaos, short profile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kanshi-chaos-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('covers every kind of fault, loses nothing, stores nothing twice and leaves nothing stuck', async () => {
    const lines: string[] = [];
    // 850: no port of the suite, its PostgreSQL, NATS or EDR console meets one of the other e2e
    // files' suites (offsets 1000 per jest worker), should another test run share the machine.
    const o = { ...optionsFromEnv({ CHAOS_PROFILE: 'short' }, (l) => lines.push(l)), dir, portOffset: 850 };
    const r = await runChaos(o);
    const printed = report(r);
    // the whole report in the test output when something does not hold
    const failing = r.checks.filter((c) => !c.ok).map((c) => `${c.name}: expected ${c.expected}, seen ${c.seen}, lost ${c.lost}, duplicated ${c.duplicated}`);
    expect({ failing, log: failing.length ? [...lines, ...printed].join('\n') : '' }).toEqual({ failing: [], log: '' });
    expect(new Set(r.faults.map((f) => `${f.kind} ${f.target}`))).toEqual(new Set(faultPlan('short').map((f) => `${f.kind} ${f.target}`)));
    expect(new Set(r.faults.map((f) => f.kind))).toEqual(new Set(['kill -9', 'restart', 'SIGSTOP', 'vendor 5xx']));
    expect(printed.at(-1)).toMatch(/^chaos: 6 faults, lost 0, duplicated 0, resent \d+$/);
    // the senders were answered: something went through every intake that acknowledges
    expect(r.checks.find((c) => c.name === 'HTTPS lines -> alerts')!.expected).not.toMatch(/^0 /);
    expect(r.checks.find((c) => c.name === 'SMTP lines -> alerts')!.expected).not.toMatch(/^0 /);
  });
});
