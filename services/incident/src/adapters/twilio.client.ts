// Automated voice calls through Twilio's REST API (or one speaking its shape):
// `POST {api}/2010-04-01/Accounts/{AccountSid}/Calls.json`, HTTP basic auth AccountSid:AuthToken,
// form fields To, From, Twiml, StatusCallback (+ StatusCallbackEvent, StatusCallbackMethod);
// 201 answers the call resource (`sid`, `status`), errors are `{ code, message, more_info, status }`.
// Twilio signs its callbacks with X-Twilio-Signature: base64 HMAC-SHA1, keyed by the auth token,
// of the full URL followed by every POST parameter's name and value, sorted by name.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { request } from 'undici';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IncidentConfig } from '../config';

export interface PlacedCall {
  sid: string;
  status: string;
}

export class TwilioError extends Error {
  constructor(
    readonly status: number | undefined,
    readonly code: number | string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioError';
  }
}

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function validTwilioSignature(authToken: string, url: string, params: Record<string, string>, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// The call: the script, then "press 1 to acknowledge" (posted to `gatherUrl`), said twice.
export function callTwiml(script: string, language: 'ja' | 'en', gatherUrl: string): string {
  const lang = language === 'en' ? 'en-US' : 'ja-JP';
  const prompt = language === 'en' ? 'Press 1 to confirm that you received this call.' : '受領を確認される場合は 1 を押してください。';
  const say = `<Say language="${lang}">${xml(script)} ${xml(prompt)}</Say>`;
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1" method="POST" action="${xml(gatherUrl)}">${say}</Gather><Gather numDigits="1" method="POST" action="${xml(gatherUrl)}">${say}</Gather></Response>`;
}

@Injectable()
export class TwilioClient {
  constructor(@Inject(PLATFORM_CONFIG) private readonly config: IncidentConfig) {}

  // Off unless the account, token, number and callback address are all set.
  get enabled(): boolean {
    const c = this.config;
    return Boolean(c.TWILIO_ACCOUNT_SID && c.TWILIO_AUTH_TOKEN && c.TWILIO_FROM && c.TWILIO_CALLBACK_BASE_URL);
  }

  get authToken(): string {
    return this.config.TWILIO_AUTH_TOKEN ?? '';
  }

  callbackUrl(path: 'status' | 'gather', query: Record<string, string> = {}): string {
    const q = new URLSearchParams(query).toString();
    return `${(this.config.TWILIO_CALLBACK_BASE_URL ?? '').replace(/\/+$/, '')}/voice/${path}${q ? `?${q}` : ''}`;
  }

  async call(opts: { to: string; twiml: string; statusCallback: string }): Promise<PlacedCall> {
    const c = this.config;
    if (!this.enabled) throw new TwilioError(undefined, 'DISABLED', 'automated voice calls are off (TWILIO_* not set)');
    const to = toE164(opts.to);
    if (!to) throw new TwilioError(400, 'INVALID_NUMBER', `the contact's phone number ${JSON.stringify(opts.to)} cannot be written in E.164 (+<country><number>); correct it on the contract`);
    const form = new URLSearchParams({ To: to, From: toE164(c.TWILIO_FROM!) ?? c.TWILIO_FROM!, Twiml: opts.twiml, StatusCallback: opts.statusCallback, StatusCallbackMethod: 'POST' });
    for (const e of ['initiated', 'ringing', 'answered', 'completed']) form.append('StatusCallbackEvent', e);
    const url = `${c.TWILIO_API_URL.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(c.TWILIO_ACCOUNT_SID!)}/Calls.json`;
    let status: number;
    let text: string;
    try {
      const res = await request(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${c.TWILIO_ACCOUNT_SID}:${c.TWILIO_AUTH_TOKEN}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(10_000),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      throw new TwilioError(undefined, (err as { code?: string }).code ?? 'NETWORK', `voice call request failed: ${(err as Error).message}`);
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // an answer that is not JSON is reported with its status below
    }
    if (status === 200 || status === 201) {
      if (typeof body.sid !== 'string') throw new TwilioError(status, 'MALFORMED', 'the call resource has no sid');
      return { sid: body.sid, status: typeof body.status === 'string' ? body.status : 'queued' };
    }
    throw new TwilioError(status, body.code as number | undefined, `voice call refused (${status}${body.code ? ` ${String(body.code)}` : ''}): ${typeof body.message === 'string' ? body.message : text.slice(0, 200)}`);
  }
}

// Contacts' numbers are kept as people write them ("+81-3-1234-5678", "03 1234 5678"); Twilio takes
// only E.164. Separators go; a domestic Japanese number (leading 0) gets +81 instead of its 0.
// Null when what is left is no E.164 number.
export function toE164(phone: string): string | null {
  const compact = phone.trim().replace(/[\s().-]/g, '');
  const e164 = compact.startsWith('+') ? compact : compact.startsWith('00') ? `+${compact.slice(2)}` : compact.startsWith('0') ? `+81${compact.slice(1)}` : null;
  return e164 && /^\+[1-9]\d{6,14}$/.test(e164) ? e164 : null;
}
