// The chaos run's mail relay: failing (451) and hanging (connections taken, never answered, then
// cut), the two ways issue 16 asks a vendor server to misbehave.
import { createTransport } from 'nodemailer';
import { ChaosRelay, startChaosRelay } from './chaos-relay';

let relay: ChaosRelay;
beforeEach(async () => {
  relay = await startChaosRelay();
});
afterEach(() => relay.stop());

const port = () => Number(new URL(relay.url).port);
const send = (messageId: string, opts: { pool?: boolean; timeoutMs?: number } = {}) => {
  const t = createTransport({ host: '127.0.0.1', port: port(), secure: false, ignoreTLS: true, pool: opts.pool, connectionTimeout: opts.timeoutMs ?? 5000, greetingTimeout: opts.timeoutMs ?? 5000, socketTimeout: opts.timeoutMs ?? 5000 });
  return { t, sent: t.sendMail({ from: 'kanshi@soc.example', to: 'ops@customer.example', subject: 's', text: 'x', messageId }) };
};

describe('chaos relay', () => {
  it('records each Message-ID it accepts', async () => {
    const { t, sent } = send('<n1@kanshi>');
    await sent;
    t.close();
    expect(relay.accepted.get('<n1@kanshi>')).toBe(1);
  });

  it('refuses mail with 451 while failing', async () => {
    relay.failFor(5000);
    const { t, sent } = send('<n2@kanshi>');
    await expect(sent).rejects.toMatchObject({ responseCode: 451 });
    t.close();
    expect(relay.refused).toBe(1);
    expect(relay.accepted.has('<n2@kanshi>')).toBe(false);
  });

  it('while hanging, takes a connection and never greets: the sender times out, and nothing is recorded', async () => {
    relay.hangFor(3000);
    const { t, sent } = send('<n3@kanshi>', { timeoutMs: 500 });
    await expect(sent).rejects.toMatchObject({ code: expect.stringMatching(/ETIMEDOUT|ECONNECTION/) });
    t.close();
    expect(relay.hung).toBe(1);
    expect(relay.accepted.has('<n3@kanshi>')).toBe(false);
  });

  it('freezes a pooled connection opened before the hang and cuts it when the hang ends; the mail goes through after it', async () => {
    const pooled = send('<n4@kanshi>', { pool: true, timeoutMs: 10_000 });
    await pooled.sent;
    relay.hangFor(800);
    const t0 = Date.now();
    // the pool's connection meets the hang, is cut at its end, and the pool sends on a new one
    await pooled.t.sendMail({ from: 'kanshi@soc.example', to: 'ops@customer.example', subject: 's', text: 'x', messageId: '<n5@kanshi>' });
    pooled.t.close();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(700);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(relay.hung).toBe(1);
    expect(relay.accepted.get('<n5@kanshi>')).toBe(1);
  });
});
