import { bool, int, optionalStr, str, url } from '@kanshi/config';

// Incident's settings for customer notifications (mail, phone, voice calls) and outbound
// webhooks, spread into its config schema (config.ts).
export const NOTIFY_CONFIG = {
  // The provider's outgoing relay; `npm start` points it at a local sink (scripts/mail-sink.ts).
  SMTP_URL: url({ default: 'smtp://127.0.0.1:25', protocols: ['smtp:', 'smtps:'] }),
  MAIL_FROM: str({ default: 'Kanshi SOC <soc@kanshi.invalid>' }),
  // Where alerts to provider staff go (a customer's EDR connector or FireEye appliance whose
  // credentials the vendor refused): the SOC's operations mailbox.
  STAFF_ALERT_EMAIL: str({ default: 'soc-operations@kanshi.invalid' }),
  // A mail the relay does not accept is retried this many times with back-off, then escalated
  // to the operator as a call task.
  MAIL_RETRY_LIMIT: int({ default: 5, min: 0, max: 20 }),
  MAIL_RETRY_DELAY_SECONDS: int({ default: 30, min: 1, max: 3600 }),
  MAIL_TIMEOUT_MS: int({ default: 15_000, min: 100, max: 120_000 }),
  // SMTP connections to the relay kept open and reused (nodemailer's pool), and mails sent at once
  // per replica (the mail jobs' workers times their batch; more wait for a pooled connection).
  MAIL_POOL_CONNECTIONS: int({ default: 10, min: 1, max: 50 }),
  MAIL_CONCURRENCY: int({ default: 100, min: 1, max: 200 }),
  // Mails the relay accepted are recorded together (delivered, timeline, clock, status, snapshot)
  // in one transaction: at most this many, gathered for up to this long after the first.
  MAIL_RECORD_BATCH_MAX: int({ default: 200, min: 1, max: 1000 }),
  MAIL_RECORD_WAIT_MS: int({ default: 5, min: 0, max: 1000 }),
  // An unanswered call moves to the next contact after this long.
  CALL_ESCALATION_MINUTES: int({ default: 10, min: 1, max: 240 }),
  // Automated voice calls through a Twilio-shaped API; off unless the account, token and number are set.
  TWILIO_ACCOUNT_SID: optionalStr(),
  TWILIO_AUTH_TOKEN: optionalStr(),
  TWILIO_FROM: optionalStr(),
  TWILIO_API_URL: url({ default: 'https://api.twilio.com', protocols: ['https:', 'http:'] }),
  // A call the provider answers with a 5xx or not at all is retried with back-off from this delay.
  TWILIO_RETRY_DELAY_SECONDS: int({ default: 20, min: 1, max: 600 }),
  // This service's address as the provider reaches it: status callbacks go to <base>/voice/status,
  // the contact's key press to <base>/voice/gather.
  TWILIO_CALLBACK_BASE_URL: optionalStr(),
  // Webhook destinations outside production may be on loopback (and plain http) when this is on.
  WEBHOOK_ALLOW_LOOPBACK: bool(false),
  WEBHOOK_RETRY_LIMIT: int({ default: 8, min: 0, max: 20 }),
  WEBHOOK_RETRY_DELAY_SECONDS: int({ default: 30, min: 1, max: 3600 }),
  WEBHOOK_TIMEOUT_MS: int({ default: 10_000, min: 100, max: 60_000 }),
};
