// Webhooks and events (https://docs.stripe.com/webhooks): Stripe-shaped events, the
// `Stripe-Signature` header (https://docs.stripe.com/webhooks#verify-manually), and delivery by
// POST to an endpoint the way Stripe sends them.
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { FakeStripeEvent } from './stripe-objects';
import { nowSeconds, randomId } from './stripe-params';

export interface SendWebhookOptions {
  secret: string;
  /** Unix seconds put in the signature header; now by default. */
  timestamp?: number;
  /** `bad` signs with the right format but a wrong HMAC. */
  signature?: 'valid' | 'bad';
  previousAttributes?: Record<string, unknown>;
}

export interface SentWebhook<T> {
  status: number;
  responseBody: string;
  event: FakeStripeEvent<T>;
  payload: string;
  signatureHeader: string;
}

export const FAKE_STRIPE_API_VERSION = '2026-10-28.endive';

/** `Stripe-Signature` value for `payload`: `t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">`. */
export function stripeSignatureHeader(payload: string, secret: string, timestamp: number = nowSeconds()): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** A well-formed `Stripe-Signature` whose HMAC does not match `payload` under any real secret. */
export function badStripeSignatureHeader(payload: string, timestamp: number = nowSeconds()): string {
  const v1 = createHmac('sha256', 'whsec_not_the_secret').update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

export function buildStripeEvent<T>(
  type: string,
  object: T,
  options: { apiVersion?: string; created?: number; previousAttributes?: Record<string, unknown> } = {},
): FakeStripeEvent<T> {
  return {
    id: randomId('evt', 24),
    object: 'event',
    api_version: options.apiVersion ?? FAKE_STRIPE_API_VERSION,
    created: options.created ?? nowSeconds(),
    data: options.previousAttributes ? { object, previous_attributes: options.previousAttributes } : { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** POSTs a Stripe-shaped, signed event to `targetUrl`, the way Stripe delivers webhooks. */
export async function sendStripeWebhook<T>(targetUrl: string, eventType: string, object: T, options: SendWebhookOptions & { apiVersion?: string }): Promise<SentWebhook<T>> {
  const event = buildStripeEvent(eventType, object, {
    apiVersion: options.apiVersion,
    previousAttributes: options.previousAttributes,
  });
  // Stripe sends pretty-printed JSON; the signature covers these exact bytes.
  const payload = JSON.stringify(event, null, 2);
  const timestamp = options.timestamp ?? nowSeconds();
  const signatureHeader =
    options.signature === 'bad' ? badStripeSignatureHeader(payload, timestamp) : stripeSignatureHeader(payload, options.secret, timestamp);
  const target = new URL(targetUrl);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(payload),
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signatureHeader,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
  return { status, responseBody: body, event, payload, signatureHeader };
}
