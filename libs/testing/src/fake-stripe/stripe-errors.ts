// Stripe's error shape: `{ error: { type, code, message, param, doc_url } }` with the HTTP status
// Stripe documents for it (https://docs.stripe.com/api/errors).
import { VendorResponseError } from '../vendor-server/vendor.server';

export interface StripeErrorBody {
  type: string;
  message: string;
  code?: string;
  param?: string;
  doc_url?: string;
}

/** A Stripe error answer, thrown by a resource; the kit answers it and saves no idempotent result. */
export class ApiFailure extends VendorResponseError {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super({ status, json: { error: body } }, body.message);
  }
}

export function invalidRequest(message: string, opts: { param?: string; code?: string; status?: number } = {}): ApiFailure {
  const body: StripeErrorBody = { type: 'invalid_request_error', message };
  if (opts.code) {
    body.code = opts.code;
    body.doc_url = `https://stripe.com/docs/error-codes/${opts.code.replace(/_/g, '-')}`;
  }
  if (opts.param) body.param = opts.param;
  return new ApiFailure(opts.status ?? 400, body);
}

export const missingParam = (param: string): ApiFailure =>
  invalidRequest(`Missing required param: ${param}.`, { param, code: 'parameter_missing' });

export const noSuch = (kind: string, id: string, param: string, status: 400 | 404): ApiFailure =>
  invalidRequest(`No such ${kind}: '${id}'`, { param, code: 'resource_missing', status });
