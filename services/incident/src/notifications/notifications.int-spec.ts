// Notifications against the real database, job queue and a real SMTP server started here: what
// the contacts receive (language, content, Message-ID), once per incident and severity, retried
// and then escalated to the operator; call tasks stepping down the escalation list on a clock.
import { randomBytes, randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { EntityManager } from 'typeorm';
import { ManualClock } from '@kanshi/calendar';
import { EscalationContact } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { TenantDirectory } from '@kanshi/platform';
import { eventually, FakeTwilioServer, LocalSmtpRelay, principalAs, startSubgraph, SubgraphKit, testPlatformEnv } from '@kanshi/testing';
import { MailAdapter } from '../adapters/mail.adapter';
import { TwilioClient } from '../adapters/twilio.client';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { CallTasksService } from './call-tasks.service';
import { IncidentCorePort, NotifyTerms, TimelineNote } from './incident-core.port';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { SeverityDecision } from './severity-decision';
import { VoiceCallbackController } from './voice-callback.controller';

jest.setTimeout(90_000);

// The incident core as notifications see it: contract terms given by the test, the timeline and
// the first-report clock recorded.
class RecordingCore extends IncidentCorePort {
  readonly terms_ = new Map<string, NotifyTerms>();
  readonly timeline: (TimelineNote & { incidentId: string })[] = [];
  readonly firstReports: { incidentId: string; at: Date }[] = [];
  terms(_em: EntityManager, customerId: string) {
    return Promise.resolve(this.terms_.get(customerId) ?? null);
  }
  appendTimeline(_em: EntityManager, incidentId: string, note: TimelineNote) {
    this.timeline.push({ incidentId, ...note });
    return Promise.resolve();
  }
  stopFirstReport(_em: EntityManager, incidentId: string, at: Date) {
    this.firstReports.push({ incidentId, at });
    return Promise.resolve();
  }
  markNotified() {
    return Promise.resolve();
  }
  operatorOnDuty() {
    return Promise.resolve('op-tanaka');
  }
  textsOf(incidentId: string) {
    return this.timeline.filter((t) => t.incidentId === incidentId).map((t) => `${t.kind}: ${t.text}`);
  }
}

const relay = new LocalSmtpRelay();
const clock = new ManualClock(new Date('2026-12-02T01:00:00Z'));
const core = new RecordingCore();
let kit: SubgraphKit;
let sut: NotificationsService;
let calls: CallTasksService;
const queues: JobQueue[] = [];

// The notification services over the spec's database, on a job queue of their own.
async function stack(env: Record<string, string> = {}) {
  const config = loadConfig(testPlatformEnv({ SMTP_URL: relay.url, MAIL_FROM: 'Kanshi SOC <soc@kanshi.test>', MAIL_RETRY_LIMIT: '2', MAIL_RETRY_DELAY_SECONDS: '1', CALL_ESCALATION_MINUTES: '10', ...env }));
  const jobs = new JobQueue(kit.ds, { schema: `notify_${randomBytes(4).toString('hex')}`, pollIntervalMs: 500, metricsIntervalMs: 3_600_000, stopTimeoutMs: 2000 });
  const repo = new NotificationsRepository(kit.ds, kit.app.get(TenantDirectory));
  const c = new CallTasksService(kit.ds, repo, core, jobs, new TwilioClient(config), clock, config);
  const n = new NotificationsService(kit.ds, repo, core, c, new MailAdapter(config), jobs, clock, config);
  c.onModuleInit();
  n.onModuleInit();
  await jobs.start();
  queues.push(jobs);
  return { sut: n, calls: c };
}

beforeAll(async () => {
  await relay.start();
  kit = await startSubgraph({ service: 'incident', schema: 'incident', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
  ({ sut, calls } = await stack());
});
afterAll(async () => {
  for (const jobs of queues) {
    await jobs.stop();
    await kit.ds.query(`DROP SCHEMA IF EXISTS "${jobs.schema}" CASCADE`);
  }
  await kit?.close();
  await relay.stop();
});

const tag = () => randomUUID().slice(0, 8);
const contact = (order: number, name: string, language: 'ja' | 'en', over: Partial<EscalationContact> = {}): EscalationContact => {
  const t = tag();
  return { order, name, language, email: `${name.toLowerCase().replace(/\W+/g, '.')}.${t}@customer.test`, phone: `+8150${t.replace(/\D/g, '').padEnd(8, '1').slice(0, 8)}`, ...over };
};

async function customerWith(plan: NotifyTerms['plan'], contacts: EscalationContact[]): Promise<string> {
  const { customerId } = await kit.createCustomer();
  core.terms_.set(customerId, { plan, contacts });
  return customerId;
}

function decision(customerId: string, over: Partial<SeverityDecision> = {}): SeverityDecision {
  return {
    incidentId: randomUUID(),
    customerId,
    severity: 'MEDIUM',
    decidedAt: new Date('2026-12-02T01:00:00Z'),
    decidedBy: 'system:analysis',
    title: 'Emotet downloader on pc-001',
    reasons: [{ text: 'Rule "Office spawning PowerShell" matched (T1059.001)', textJa: 'ルール「Office から PowerShell 起動」に一致 (T1059.001)' }],
    actions: [{ text: 'Remove the malware and change the user’s password', textJa: 'マルウェアを駆除し、利用者のパスワードを変更してください' }],
    hosts: ['pc-001'],
    ...over,
  };
}
const decide = (d: SeverityDecision, via = sut) => kit.ds.transaction((em) => via.onSeverityDecided(em, d));
const rows = (incidentId: string) => kit.ds.query(`SELECT id, channel, recipient, status, attempts, severity, error FROM incident.notification WHERE incident_id = $1 ORDER BY created_at, channel, recipient`, [incidentId]);
const tasks = (incidentId: string) => kit.ds.query(`SELECT * FROM incident.call_task WHERE incident_id = $1 ORDER BY created_at`, [incidentId]);

describe('mail notifications', () => {
  it('mails a MEDIUM decision to every contact in its language, with the summary, reasons and countermeasures, and stops the first-report clock', async () => {
    const ja = contact(1, 'Yamada Taro', 'ja');
    const en = contact(2, 'Alice Smith', 'en');
    const customerId = await customerWith('MDR', [en, ja]);
    const d = decision(customerId);
    expect(await decide(d)).toHaveLength(2);
    await eventually(async () => expect((await rows(d.incidentId)).map((r: { status: string }) => r.status)).toEqual(['DELIVERED', 'DELIVERED']));

    const [jaMail] = relay.accepted(ja.email);
    expect(jaMail.parsed.subject).toBe('【Kanshi SOC】重要度「中」インシデントのご連絡: Emotet downloader on pc-001');
    expect(jaMail.parsed.text).toContain('Yamada Taro 様');
    expect(jaMail.parsed.text).toContain('ルール「Office から PowerShell 起動」に一致 (T1059.001)');
    expect(jaMail.parsed.text).toContain('マルウェアを駆除し、利用者のパスワードを変更してください');
    expect(jaMail.parsed.text).toContain('対象ホスト: pc-001');
    expect(jaMail.parsed.from?.value).toEqual([{ name: 'Kanshi SOC', address: 'soc@kanshi.test' }]);
    const [enMail] = relay.accepted(en.email);
    expect(enMail.parsed.subject).toBe('[Kanshi SOC] Severity Medium: Emotet downloader on pc-001');
    expect(enMail.parsed.text).toContain('Rule "Office spawning PowerShell" matched (T1059.001)');
    expect(enMail.parsed.text).toContain('Remove the malware and change the user’s password');
    expect(enMail.parsed.text).not.toMatch(/[ぁ-ん]/);

    const ids = (await rows(d.incidentId)).map((r: { id: string; recipient: string }) => [r.recipient, r.id]);
    for (const [recipient, id] of ids) expect(relay.accepted(recipient)[0].parsed.messageId).toBe(`<${id}@kanshi>`);
    expect(core.firstReports.filter((f) => f.incidentId === d.incidentId)).toHaveLength(2);
    expect(core.textsOf(d.incidentId)).toEqual(
      expect.arrayContaining([
        `NOTIFICATION_QUEUED: Severity MEDIUM: mail to Yamada Taro <${ja.email}> queued (ja)`,
        expect.stringMatching(new RegExp(`^NOTIFICATION_DELIVERED: Mail to Alice Smith <${en.email!.replace(/\./g, '\\.')}> accepted by the relay \\(attempt 1\\): 250`)),
      ]),
    );
    // MEDIUM: nobody is phoned
    expect(await tasks(d.incidentId)).toEqual([]);
  });

  it('sends nothing more for a redelivered decision, nothing at all for LOW', async () => {
    const c = contact(1, 'Sato Hanako', 'ja');
    const customerId = await customerWith('MDR', [c]);
    const d = decision(customerId);
    expect(await decide(d)).toHaveLength(1);
    expect(await decide(d)).toHaveLength(0);
    await eventually(async () => expect(relay.accepted(c.email)).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 1500));
    expect(relay.tried(c.email!)).toHaveLength(1);
    const low = decision(customerId, { severity: 'LOW' });
    expect(await decide(low)).toEqual([]);
    expect(await rows(low.incidentId)).toEqual([]);
  });

  it('phones and mails a HIGH on MDR; raising MEDIUM to HIGH adds the call; an e-mail-only plan gets mail only', async () => {
    const a = contact(1, 'Kato Ichiro', 'ja');
    const b = contact(2, 'Bob Jones', 'en');
    const noPhone = contact(3, 'Mail Only', 'ja', { phone: undefined });
    const customerId = await customerWith('MDR', [b, a, noPhone]);
    const medium = decision(customerId);
    await decide(medium);
    const high = { ...medium, severity: 'HIGH' as const, decidedBy: 'u-analyst' };
    const created = await decide(high);
    expect(created.map((n) => n.channel).sort()).toEqual(['EMAIL', 'EMAIL', 'EMAIL', 'PHONE']);
    const [task] = await tasks(high.incidentId);
    expect(task).toMatchObject({ severity: 'HIGH', reason: 'HIGH_SEVERITY', status: 'OPEN', assignee: 'op-tanaka', current_index: 0 });
    expect(task.contacts.map((c: { name: string }) => c.name)).toEqual(['Kato Ichiro', 'Bob Jones']);
    expect(task.script_ja).toContain('重要度「高」のインシデントを検知しました');
    expect(task.script_en).toContain('incident of high severity: Emotet downloader on pc-001');
    expect(core.textsOf(high.incidentId)).toContainEqual(expect.stringMatching(/^CALL_TASK_OPENED: Call task for op-tanaka \(severity HIGH\): 1\. Kato Ichiro \(\+8150\d+\), 2\. Bob Jones/));
    // the same HIGH again: nothing new
    expect(await decide(high)).toEqual([]);
    expect(await tasks(high.incidentId)).toHaveLength(1);

    const feCustomer = await customerWith('FE_ALERT_ANALYSIS', [contact(1, 'FE Contact', 'ja')]);
    const fe = decision(feCustomer, { severity: 'HIGH' });
    expect((await decide(fe)).map((n) => n.channel)).toEqual(['EMAIL']);
    expect(await tasks(fe.incidentId)).toEqual([]);
  });

  it('retries a mail the relay refuses with the same Message-ID, and delivers it', async () => {
    const c = contact(1, 'Retry Contact', 'ja');
    const customerId = await customerWith('MDR', [c]);
    relay.refuseNext(1, { code: 451, to: c.email });
    const d = decision(customerId);
    const [n] = await decide(d);
    await eventually(async () => expect((await rows(d.incidentId))[0]).toMatchObject({ status: 'DELIVERED', attempts: 2, error: null }), { timeoutMs: 20_000 });
    const tried = relay.tried(c.email!);
    expect(tried.map((m) => m.accepted)).toEqual([false, true]);
    expect(tried.map((m) => m.parsed.messageId)).toEqual([`<${n.id}@kanshi>`, `<${n.id}@kanshi>`]);
    expect(tried[0].parsed.text).toBe(tried[1].parsed.text);
    expect(core.textsOf(d.incidentId)).toContainEqual(expect.stringMatching(/^NOTIFICATION_FAILED: Mail to Retry Contact .* not accepted \(attempt 1 of 3\): .*451.*; it will be retried$/));
  });

  it('gives up after the last retry: FAILED, on the timeline, and a call task for the operator', async () => {
    const c = contact(1, 'Broken Mailbox', 'en');
    const customerId = await customerWith('FE_ALERT_ANALYSIS', [c]);
    relay.refuseNext(3, { code: 550, message: 'mailbox unavailable', to: c.email });
    const d = decision(customerId);
    await decide(d);
    await eventually(async () => expect((await rows(d.incidentId)).find((r: { channel: string }) => r.channel === 'EMAIL')).toMatchObject({ status: 'FAILED', attempts: 3, error: expect.stringContaining('550') }), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    expect(relay.tried(c.email!)).toHaveLength(3);
    const [task] = await tasks(d.incidentId);
    expect(task).toMatchObject({ reason: 'MAIL_FAILED', status: 'OPEN', assignee: 'op-tanaka' });
    expect(task.contacts).toEqual([{ name: 'Broken Mailbox', phone: c.phone, email: c.email, language: 'en' }]);
    expect(task.script_en).toContain(`The mail "[Kanshi SOC] Severity Medium: Emotet downloader on pc-001" to ${c.email} could not be delivered`);
    expect(core.textsOf(d.incidentId)).toContainEqual(expect.stringMatching(/not accepted \(attempt 3 of 3\): .*550.*; escalated to the operator by phone$/));
    expect(core.firstReports.filter((f) => f.incidentId === d.incidentId)).toEqual([]);
  });
});

describe('call tasks', () => {
  it('steps to the next contact every CALL_ESCALATION_MINUTES, round the list, until someone is reached', async () => {
    const contacts = [contact(1, 'First', 'ja'), contact(2, 'Second', 'en'), contact(3, 'Third', 'ja')];
    const customerId = await customerWith('MDR', contacts);
    clock.set('2026-12-02T01:00:00Z');
    const d = decision(customerId, { severity: 'HIGH' });
    await decide(d);
    const [{ id }] = await tasks(d.incidentId);
    const index = async () => (await tasks(d.incidentId))[0];

    clock.advance(9 * 60_000);
    await calls.stepDue();
    expect((await index()).current_index).toBe(0);
    clock.advance(60_000);
    await calls.stepDue();
    expect(await index()).toMatchObject({ current_index: 1, rounds: 0, next_step_at: new Date('2026-12-02T01:20:00Z') });
    clock.advance(10 * 60_000);
    await calls.stepDue();
    clock.advance(10 * 60_000);
    await calls.stepDue();
    expect(await index()).toMatchObject({ current_index: 0, rounds: 1 });
    expect(core.textsOf(d.incidentId).filter((t) => t.startsWith('CALL_ESCALATED'))).toEqual([
      `CALL_ESCALATED: Now calling Second (${contacts[1].phone})`,
      `CALL_ESCALATED: Now calling Third (${contacts[2].phone})`,
      `CALL_ESCALATED: Now calling First (${contacts[0].phone}) (the list again from the top)`,
    ]);

    // the operator: no answer from First moves on at once; Second answers
    await calls.recordOutcome(principalAs('engineer'), { callTaskId: id, outcome: 'NO_ANSWER' });
    expect((await index()).current_index).toBe(1);
    const done = await calls.recordOutcome(principalAs('analyst'), { callTaskId: id, outcome: 'REACHED', reachedWhom: 'Second (CISO)', whatWasSaid: 'Isolate pc-001 now; report follows' });
    expect(done).toMatchObject({ status: 'REACHED', closedAt: clock.now() });
    expect(done.log.at(-1)).toMatchObject({ via: 'OPERATOR', outcome: 'REACHED', reachedWhom: 'Second (CISO)', contactIndex: 1, actor: 'u-analyst' });
    const phone = (await rows(d.incidentId)).find((r: { channel: string }) => r.channel === 'PHONE');
    expect(phone).toMatchObject({ status: 'DELIVERED', attempts: 2 });
    expect(core.firstReports).toContainEqual({ incidentId: d.incidentId, at: clock.now() });
    expect(core.textsOf(d.incidentId)).toContainEqual(`CALL_REACHED: Reached Second (CISO) by phone (Second (${contacts[1].phone})) at ${clock.now().toISOString()}: Isolate pc-001 now; report follows`);
    // closed: the timer leaves it alone, and another outcome is a conflict
    clock.advance(60 * 60_000);
    await calls.stepDue();
    expect((await index()).current_index).toBe(1);
    await expect(calls.recordOutcome(principalAs('analyst'), { callTaskId: id, outcome: 'REACHED' })).rejects.toMatchObject({ kind: 'CONFLICT', code: 'CALL_TASK_CLOSED' });
  });

  it('closes open call tasks when the customer acknowledges', async () => {
    const customerId = await customerWith('MDR', [contact(1, 'Ack', 'ja')]);
    const d = decision(customerId, { severity: 'HIGH' });
    await decide(d);
    await kit.ds.transaction((em) => calls.onAcknowledged(em, d.incidentId, 'u-customer'));
    expect((await tasks(d.incidentId))[0]).toMatchObject({ status: 'ACKNOWLEDGED' });
    expect(core.textsOf(d.incidentId)).toContain('CALL_TASK_CLOSED: Call task closed: the customer acknowledged the incident');
  });

  it('refuses an outcome from a customer, and for a task that does not exist or a contact not on it', async () => {
    const customerId = await customerWith('MDR', [contact(1, 'Only', 'ja')]);
    const d = decision(customerId, { severity: 'HIGH' });
    await decide(d);
    const [{ id }] = await tasks(d.incidentId);
    await expect(calls.recordOutcome(principalAs('customer_admin', { customerId }), { callTaskId: id, outcome: 'REACHED' })).rejects.toMatchObject({ kind: 'FORBIDDEN' });
    await expect(calls.recordOutcome(principalAs('analyst'), { callTaskId: randomUUID(), outcome: 'REACHED' })).rejects.toMatchObject({ kind: 'NOT_FOUND', field: 'callTaskId' });
    await expect(calls.recordOutcome(principalAs('analyst'), { callTaskId: id, outcome: 'REACHED', contactIndex: 3 })).rejects.toMatchObject({ kind: 'BAD_USER_INPUT', field: 'contactIndex' });
  });
});

describe('automated voice calls (Twilio-shaped API on a local server)', () => {
  const twilio = new FakeTwilioServer();
  let voice: { sut: NotificationsService; calls: CallTasksService };
  let callbacks: NestFastifyApplication;

  beforeAll(async () => {
    await twilio.start();
    // the real callback controller, in front of this stack's CallTasksService
    const ref = { onVoiceCallback: (...a: Parameters<CallTasksService['onVoiceCallback']>) => voice.calls.onVoiceCallback(...a), callbackBase: () => voice.calls.callbackBase() };
    const moduleRef = await Test.createTestingModule({ controllers: [VoiceCallbackController], providers: [{ provide: CallTasksService, useValue: ref }] }).compile();
    callbacks = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await callbacks.listen(0, '127.0.0.1');
    const base = (await callbacks.getUrl()).replace('[::1]', '127.0.0.1');
    voice = await stack({
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+815000000000',
      TWILIO_API_URL: twilio.url,
      TWILIO_CALLBACK_BASE_URL: base,
      TWILIO_RETRY_DELAY_SECONDS: '1',
    });
  });
  afterAll(async () => {
    await callbacks?.close();
    await twilio.stop();
  });

  it('calls the first contact with the script, steps on no-answer, and an acknowledging key press closes the task', async () => {
    const contacts = [contact(1, 'Voice One', 'ja'), contact(2, 'Voice Two', 'en')];
    const customerId = await customerWith('MDR', contacts);
    const d = decision(customerId, { severity: 'HIGH' });
    await decide(d, voice.sut);
    const first = await eventually(async () => {
      const c = twilio.calls.find((x) => x.to === contacts[0].phone);
      expect(c).toBeDefined();
      return c!;
    });
    const [req] = twilio.requests.filter((r) => r.path === `/2010-04-01/Accounts/${twilio.accountSid}/Calls.json`).slice(-1);
    expect(req.authorization).toEqual({ scheme: 'Basic', user: twilio.accountSid, password: twilio.authToken });
    expect(first).toMatchObject({ from: '+815000000000', statusCallbackEvents: ['initiated', 'ringing', 'answered', 'completed'] });
    expect(first.twiml).toContain('<Say language="ja-JP">Kanshi セキュリティオペレーションセンターです。');
    expect(first.statusCallback).toMatch(/\/voice\/status\?task=[0-9a-f-]+&contact=0$/);
    await eventually(async () => expect(core.textsOf(d.incidentId)).toContainEqual(`CALL_ATTEMPT: Automated call to Voice One (${contacts[0].phone}) placed (${first.sid})`));

    // a forged callback is refused and changes nothing
    expect((await twilio.sendStatus(first.sid, 'no-answer', { sign: false })).status).toBe(403);
    expect((await tasks(d.incidentId))[0].current_index).toBe(0);
    expect((await twilio.sendStatus(first.sid, 'ringing')).status).toBe(204);
    expect((await twilio.sendStatus(first.sid, 'no-answer')).status).toBe(204);
    expect((await tasks(d.incidentId))[0].current_index).toBe(1);
    const second = await eventually(async () => {
      const c = twilio.calls.find((x) => x.to === contacts[1].phone);
      expect(c).toBeDefined();
      return c!;
    });
    expect(second.twiml).toContain('<Say language="en-US">This is the Kanshi Security Operations Center.');
    // the call is on the task once the voice job committed (Twilio may call back before that on a loaded machine)
    await eventually(async () => expect(core.textsOf(d.incidentId)).toContainEqual(`CALL_ATTEMPT: Automated call to Voice Two (${contacts[1].phone}) placed (${second.sid})`));
    expect((await twilio.sendStatus(second.sid, 'in-progress')).status).toBe(204);
    expect((await twilio.pressDigits(second.sid, '1')).status).toBe(200);
    const [task] = await tasks(d.incidentId);
    expect(task).toMatchObject({ status: 'REACHED' });
    expect(task.log.at(-1)).toMatchObject({ via: 'VOICE', outcome: 'REACHED', reachedWhom: 'Voice Two', contactIndex: 1 });
    expect(core.firstReports.filter((f) => f.incidentId === d.incidentId).length).toBeGreaterThanOrEqual(1);
    expect((await twilio.sendStatus(second.sid, 'completed', { duration: 37 })).status).toBe(204);
    expect(core.textsOf(d.incidentId)).toEqual(
      expect.arrayContaining([
        `CALL_ATTEMPT: Automated call to Voice One (${contacts[0].phone}): no-answer (${first.sid})`,
        `CALL_REACHED: Voice Two (${contacts[1].phone}) acknowledged the automated call (${second.sid})`,
        `CALL_ATTEMPT: Automated call to Voice Two (${contacts[1].phone}) ended (${second.sid}, 37 s)`,
      ]),
    );
  });

  it('retries a call Twilio answers with a 5xx, and puts a number Twilio rejects on the timeline without retrying', async () => {
    // entered the Japanese way; Twilio is sent +81312345678
    const contacts = [contact(1, 'Bad Number', 'ja', { phone: '03-1234-5678' })];
    const customerId = await customerWith('MDR', contacts);
    const d = decision(customerId, { severity: 'HIGH' });
    twilio.failNext(1, { kind: 'error', status: 503, json: { code: 20500, message: 'Internal Server Error', status: 503 } });
    twilio.failNext(1, { kind: 'error', status: 400, json: { code: 21211, message: "The 'To' number +81312345678 is not a valid phone number.", status: 400 } });
    await decide(d, voice.sut);
    await eventually(
      async () => expect(core.textsOf(d.incidentId)).toContainEqual(expect.stringMatching(/^CALL_ATTEMPT: Automated call to Bad Number \(03-1234-5678\) could not be placed: voice call refused \(400 21211\): The 'To' number \+81312345678 is not a valid phone number\.; the operator calls$/)),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(twilio.requests.filter((r) => new URLSearchParams(r.rawBody).get('To') === '+81312345678').map((r) => r.status)).toEqual([503, 400]);
  });

  it('never sends Twilio a number that has no E.164 form, and tells the operator to call', async () => {
    const contacts = [contact(1, 'Short Number', 'ja', { phone: '12-345' })];
    const customerId = await customerWith('MDR', contacts);
    const d = decision(customerId, { severity: 'HIGH' });
    const before = twilio.requests.length;
    await decide(d, voice.sut);
    await eventually(
      async () => expect(core.textsOf(d.incidentId)).toContainEqual(expect.stringMatching(/^CALL_ATTEMPT: Automated call to Short Number \(12-345\) could not be placed: the contact's phone number "12-345" cannot be written in E\.164 .*; the operator calls$/)),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(twilio.requests.slice(before).filter((r) => new URLSearchParams(r.rawBody).get('To')?.includes('345'))).toEqual([]);
  });
});
