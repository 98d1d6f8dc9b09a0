import { Client } from 'pg';
import { FakeTwilioServer } from '@kanshi/testing';
import { Check } from './chaos-invariants';

// The run's voice provider: Kanshi's Twilio client pointed at the project's local Twilio server,
// which records every call with its StatusCallback (carrying Kanshi's call task and contact).
export async function startChaosVoice(): Promise<FakeTwilioServer> {
  const twilio = new FakeTwilioServer();
  await twilio.start();
  return twilio;
}

// Incident's settings for automated calls; callbacks reach incident's own port.
export function chaosVoiceEnv(twilio: FakeTwilioServer, incidentUrl: string): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM: '+815000000000',
    TWILIO_API_URL: twilio.url,
    TWILIO_CALLBACK_BASE_URL: incidentUrl,
    TWILIO_RETRY_DELAY_SECONDS: '1',
  };
}

// A call's identity is Kanshi's: the call task and the contact it reaches (in the StatusCallback).
export function callKey(statusCallback: string | undefined): string | null {
  if (!statusCallback) return null;
  const q = new URL(statusCallback).searchParams;
  const task = q.get('task');
  const contact = q.get('contact');
  return task && contact ? `${task}#${contact}` : null;
}

// Every call Kanshi recorded as placed is one the provider has; every call the provider has names
// one of Kanshi's call tasks; a second call of one task and contact is a resend (counted).
export async function checkVoice(db: Client, calls: { sid: string; statusCallback: string | undefined }[]): Promise<{ checks: Check[]; resent: number }> {
  const tasks = new Set((await db.query<{ id: string }>(`SELECT id FROM incident.call_task`)).rows.map((r) => r.id));
  const placed = (await db.query<{ call_sid: string }>(`SELECT call_sid FROM incident.voice_call`)).rows.map((r) => r.call_sid);
  const atProvider = new Set(calls.map((c) => c.sid));
  const perKey = new Map<string, number>();
  let foreign = 0;
  for (const c of calls) {
    const key = callKey(c.statusCallback);
    if (!key || !tasks.has(key.split('#')[0])) {
      foreign++;
      continue;
    }
    perKey.set(key, (perKey.get(key) ?? 0) + 1);
  }
  const lost = placed.filter((sid) => !atProvider.has(sid)).length;
  const resent = [...perKey.values()].reduce((a, n) => a + n - 1, 0);
  return {
    resent,
    checks: [
      {
        name: 'voice calls -> the provider, one key each',
        expected: `${placed.length} calls recorded as placed`,
        seen: `${calls.length} calls at the provider for ${perKey.size} task contacts`,
        lost,
        duplicated: foreign,
        note: `resent ${resent} (same call task and contact)${foreign ? `, ${foreign} calls naming no call task` : ''}`,
        ok: lost === 0 && foreign === 0,
      },
    ],
  };
}
