// A local stand-in for Twilio's Programmable Voice REST API, on the vendor-server kit:
// `POST /2010-04-01/Accounts/{AccountSid}/Calls.json` (HTTP basic auth AccountSid:AuthToken,
// form fields To, From, Twiml or Url, StatusCallback, StatusCallbackEvent, StatusCallbackMethod)
// answers 201 with the call resource (`sid` CA..., `status: queued`), and Twilio's error bodies
// `{ code, message, more_info, status }` (401 20003 Authenticate, 400 21201/21205/21211/21212).
// Calls are recorded; the test drives them: `sendStatus(sid, 'ringing' | 'completed' | ...)`
// posts a status callback, `pressDigits(sid, '1')` posts the <Gather> action, both form-encoded
// and signed with X-Twilio-Signature (base64 HMAC-SHA1 of the URL plus the sorted parameters,
// keyed by the auth token), as Twilio does.
import { createHmac, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { VendorRequest, VendorResponse, VendorServer } from './vendor-server/vendor.server';

export const FAKE_TWILIO_ACCOUNT_SID = 'AC00000000000000000000000000kanshi';
export const FAKE_TWILIO_AUTH_TOKEN = 'kanshi-fake-twilio-auth-token-0000';

export interface FakeTwilioCall {
  sid: string;
  to: string;
  from: string;
  twiml: string | undefined;
  url: string | undefined;
  statusCallback: string | undefined;
  statusCallbackEvents: string[];
  status: string;
  createdAt: Date;
}

export interface FakeTwilioCallback {
  url: string;
  params: Record<string, string>;
  signature: string;
  // What the receiver answered.
  status: number;
}

const E164 = /^\+[1-9]\d{6,14}$/;

// Twilio's signature of a callback (https://www.twilio.com/docs/usage/security#validating-requests).
export function twilioCallbackSignature(authToken: string, url: string, params: Record<string, string>): string {
  return createHmac('sha1', authToken)
    .update(url + Object.keys(params).sort().map((k) => k + params[k]).join(''), 'utf8')
    .digest('base64');
}

export class FakeTwilioServer {
  readonly calls: FakeTwilioCall[] = [];
  readonly callbacks: FakeTwilioCallback[] = [];
  private readonly server: VendorServer<Record<string, string | string[]>, string>;

  constructor(private readonly options: { accountSid?: string; authToken?: string } = {}) {
    this.server = new VendorServer({ name: 'FakeTwilio', idempotency: false, parseBody: (raw) => raw });
    this.server.post('/2010-04-01/Accounts/:sid/Calls.json', (req) => this.createCall(req));
  }

  get accountSid(): string {
    return this.options.accountSid ?? FAKE_TWILIO_ACCOUNT_SID;
  }

  get authToken(): string {
    return this.options.authToken ?? FAKE_TWILIO_AUTH_TOKEN;
  }

  get url(): string {
    return this.server.url;
  }

  get requests(): VendorRequest<Record<string, string | string[]>, string>[] {
    return this.server.requests;
  }

  start(): Promise<{ port: number; url: string }> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  failNext(...args: Parameters<VendorServer['failNext']>): void {
    this.server.failNext(...args);
  }

  call(sid: string): FakeTwilioCall {
    const c = this.calls.find((x) => x.sid === sid);
    if (!c) throw new Error(`FakeTwilio: no call ${sid}`);
    return c;
  }

  // Posts a status callback for the call (CallStatus queued, ringing, in-progress, completed,
  // busy, no-answer, failed, canceled), signed; `sign` false sends a wrong signature.
  async sendStatus(sid: string, status: string, opts: { sign?: boolean; duration?: number } = {}): Promise<FakeTwilioCallback> {
    const c = this.call(sid);
    if (!c.statusCallback) throw new Error(`FakeTwilio: call ${sid} has no StatusCallback`);
    c.status = status;
    const params: Record<string, string> = { AccountSid: this.accountSid, ApiVersion: '2010-04-01', CallSid: c.sid, CallStatus: status, Direction: 'outbound-api', From: c.from, To: c.to, Timestamp: new Date().toUTCString() };
    if (status === 'completed') params.CallDuration = String(opts.duration ?? 42);
    return this.post(c.statusCallback, params, opts.sign ?? true);
  }

  // The contact pressed keys during <Gather>: posted to its action URL.
  async pressDigits(sid: string, digits: string): Promise<FakeTwilioCallback> {
    const c = this.call(sid);
    const action = /<Gather[^>]*action="([^"]+)"/.exec(c.twiml ?? '')?.[1]?.replace(/&amp;/g, '&');
    if (!action) throw new Error(`FakeTwilio: call ${sid} has no <Gather action>`);
    return this.post(action, { AccountSid: this.accountSid, ApiVersion: '2010-04-01', CallSid: c.sid, CallStatus: 'in-progress', Digits: digits, From: c.from, To: c.to }, true);
  }

  private async post(url: string, params: Record<string, string>, sign: boolean): Promise<FakeTwilioCallback> {
    const signature = sign ? twilioCallbackSignature(this.authToken, url, params) : twilioCallbackSignature('not-the-token', url, params);
    const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'user-agent': 'TwilioProxy/1.1' }, body: new URLSearchParams(params).toString() });
    await res.body.dump();
    const cb = { url, params, signature, status: res.statusCode };
    this.callbacks.push(cb);
    return cb;
  }

  private error(status: number, code: number, message: string): VendorResponse {
    return { status, json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
  }

  private createCall(req: VendorRequest<Record<string, string | string[]>, string>): VendorResponse {
    const auth = req.authorization;
    const [user, pass] = auth?.scheme === 'Basic' && 'user' in auth ? [auth.user, auth.password] : [];
    if (user !== this.accountSid || pass !== this.authToken || req.params.sid !== this.accountSid) return this.error(401, 20003, 'Authenticate');
    const form = new URLSearchParams(req.rawBody);
    const to = form.get('To');
    const from = form.get('From');
    if (!to) return this.error(400, 21201, "No 'To' number is specified");
    if (!E164.test(to)) return this.error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from) return this.error(400, 21212, "No 'From' number is specified");
    const twiml = form.get('Twiml') ?? undefined;
    const url = form.get('Url') ?? undefined;
    if (!twiml && !url) return this.error(400, 21205, 'Url parameter is required.');
    const call: FakeTwilioCall = {
      sid: `CA${randomBytes(16).toString('hex')}`,
      to,
      from,
      twiml,
      url,
      statusCallback: form.get('StatusCallback') ?? undefined,
      statusCallbackEvents: form.getAll('StatusCallbackEvent'),
      status: 'queued',
      createdAt: new Date(),
    };
    this.calls.push(call);
    return {
      status: 201,
      json: {
        sid: call.sid,
        account_sid: this.accountSid,
        to: call.to,
        from: call.from,
        status: call.status,
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: call.createdAt.toUTCString(),
        uri: `/2010-04-01/Accounts/${this.accountSid}/Calls/${call.sid}.json`,
      },
    };
  }
}
