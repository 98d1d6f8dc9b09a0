import { FakeTwilioServer } from '@kanshi/testing';
import { IncidentConfig } from '../config';
import { toE164, TwilioClient } from './twilio.client';

describe('phone numbers for Twilio', () => {
  it('writes the numbers contacts are entered with (dashes, spaces, a domestic 0) in E.164', () => {
    expect(toE164('+81-3-0000-0001')).toBe('+81300000001');
    expect(toE164('03 1234 5678')).toBe('+81312345678');
    expect(toE164('(090) 1234-5678')).toBe('+819012345678');
    expect(toE164('0044 20 7946 0958')).toBe('+442079460958');
    expect(toE164('+1 (415) 555-0100')).toBe('+14155550100');
  });

  it('has no E.164 form for what is no full number', () => {
    for (const bad of ['12345678', '+0 3 1234', '03', 'call me', '+81 3 1234 5678 9012 345']) expect(toE164(bad)).toBeNull();
  });
});

describe('TwilioClient', () => {
  const twilio = new FakeTwilioServer();
  let client: TwilioClient;
  beforeAll(async () => {
    await twilio.start();
    client = new TwilioClient({
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+81-50-0000-0000',
      TWILIO_API_URL: twilio.url,
      TWILIO_CALLBACK_BASE_URL: 'http://127.0.0.1:9/cb',
    } as IncidentConfig);
  });
  afterAll(() => twilio.stop());

  it("calls a contact entered as '+81-3-0000-0001' (Twilio refuses anything but E.164)", async () => {
    const placed = await client.call({ to: '+81-3-0000-0001', twiml: '<Response/>', statusCallback: client.callbackUrl('status') });
    expect(twilio.call(placed.sid)).toMatchObject({ to: '+81300000001', from: '+815000000000' });
  });

  it('refuses, without calling Twilio, a number that cannot be written in E.164, naming it', async () => {
    const before = twilio.requests.length;
    await expect(client.call({ to: '1234', twiml: '<Response/>', statusCallback: client.callbackUrl('status') })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('"1234" cannot be written in E.164') });
    expect(twilio.requests.length).toBe(before);
  });
});
