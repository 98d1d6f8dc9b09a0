// What every Stripe API request goes through before a resource sees it, written as options of
// the vendor-server kit: bearer (or Basic) secret keys, form-encoded bodies, Stripe's 404 text,
// idempotency keys scoped to the API key (https://docs.stripe.com/api/idempotent_requests), and
// the `Request-Id` / `Stripe-Version` headers on every answer.
import { VendorRequest, VendorResponse, VendorServerOptions } from '../vendor-server/vendor.server';
import { StripeErrorBody } from './stripe-errors';
import { FormObject, parseStripeForm } from './stripe-form';
import { randomId } from './stripe-params';
import { FAKE_STRIPE_API_VERSION } from './webhooks';

type StripeServerRequest = VendorRequest<FormObject, FormObject>;

const stripeError = (status: number, error: StripeErrorBody): VendorResponse => ({ status, json: { error } });

/** The key the request authenticates with (Bearer, or the user of HTTP Basic as with `curl -u sk_test_...:`). */
export function apiKeyOf(req: StripeServerRequest): string | undefined {
  const auth = req.authorization;
  if (auth?.scheme === 'Bearer' && 'token' in auth) return auth.token || undefined;
  if (auth?.scheme === 'Basic' && 'user' in auth) return auth.user || undefined;
  return undefined;
}

function authenticate(apiKey: string | undefined): (req: StripeServerRequest) => VendorResponse | undefined {
  return (req) => {
    const key = apiKeyOf(req);
    if (!key) {
      return stripeError(401, {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      });
    }
    const accepted = apiKey !== undefined ? key === apiKey : /^(sk|rk)_test_\w+$/.test(key);
    if (!accepted) {
      const masked = key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : '****';
      return stripeError(401, { type: 'invalid_request_error', code: 'api_key_invalid', message: `Invalid API Key provided: ${masked}` });
    }
    return undefined;
  };
}

function wellFormed(req: StripeServerRequest): VendorResponse | undefined {
  if (req.bodyError !== undefined) return stripeError(400, { type: 'invalid_request_error', message: `Invalid request: ${req.bodyError}` });
  const contentType = req.headers['content-type'] ?? '';
  if (req.method === 'POST' && req.rawBody !== '' && !contentType.startsWith('application/x-www-form-urlencoded')) {
    return stripeError(400, { type: 'invalid_request_error', message: `Invalid request: unsupported Content-Type ${contentType}. Use application/x-www-form-urlencoded.` });
  }
  return undefined;
}

export function stripeProtocol(options: { apiKey?: string; apiVersion?: string; host?: string; port?: number }): VendorServerOptions<FormObject, FormObject> {
  return {
    name: 'FakeStripeServer',
    host: options.host,
    port: options.port,
    parseQuery: parseStripeForm,
    // Stripe reads only POST bodies; GET and DELETE carry their parameters in the query.
    parseBody: (raw, { method }) => (method === 'POST' ? parseStripeForm(raw) : {}),
    bodyOnParseError: {},
    jsonIndent: 2,
    before: [authenticate(options.apiKey), wellFormed],
    notFound: (req) =>
      stripeError(404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${req.method}: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      }),
    idempotency: {
      // GET and DELETE are idempotent already; Stripe ignores keys on them.
      methods: ['POST'],
      scope: (req) => apiKeyOf(req) ?? '',
      mismatch: (_req, key) =>
        stripeError(400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        }),
      conflict: (_req, key) =>
        stripeError(409, { type: 'idempotency_error', message: `Another request with the idempotency key '${key}' is still in progress; retry it once that one has finished.` }),
      invalidKey: () => stripeError(400, { type: 'invalid_request_error', message: 'Idempotency-Key must be at most 255 characters long.' }),
    },
    responseHeaders: (req, answer) => {
      const headers: Record<string, string> = {
        'Stripe-Version': req.headers['stripe-version'] ?? options.apiVersion ?? FAKE_STRIPE_API_VERSION,
      };
      // A replay carries the saved answer's Request-Id as Original-Request and gets its own.
      if (req.replayed) headers['Original-Request'] = answer.headers['Request-Id'];
      if (req.replayed || !answer.headers['Request-Id']) headers['Request-Id'] = randomId('req');
      if (req.idempotencyKey !== undefined && req.method === 'POST') headers['Idempotency-Key'] = req.idempotencyKey;
      return headers;
    },
  };
}
