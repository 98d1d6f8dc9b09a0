import type { VendorExchange } from './edr-connector';

export const VENDOR_ERROR_KINDS = ['AUTH', 'NOT_FOUND', 'RATE_LIMITED', 'UNAVAILABLE', 'TIMEOUT', 'CIRCUIT_OPEN', 'REJECTED', 'NOT_CONFIGURED'] as const;
export type VendorErrorKind = (typeof VENDOR_ERROR_KINDS)[number];

// Errors adapters throw (the isolation module turns them into FAILED with the message).
// AUTH: wrong or revoked credentials (the vendor's message); NOT_FOUND: the vendor does not know
// the host ("not found in <vendor>"); RATE_LIMITED: still 429 after the allowed waits;
// UNAVAILABLE: 5xx or a refused connection after the retries; TIMEOUT: no answer in time after the
// retries; CIRCUIT_OPEN: too many failures in a row, the vendor is not asked until the cool-down
// ends; REJECTED: any other refusal (the vendor's message); NOT_CONFIGURED: the customer has no
// connector for that product.
export class VendorError extends Error {
  constructor(
    readonly kind: VendorErrorKind,
    message: string,
    readonly status: number | null = null,
    // What was exchanged with the vendor before it failed (secrets removed), for the isolation log.
    readonly exchanges: VendorExchange[] = [],
  ) {
    super(message);
    this.name = 'VendorError';
  }

  static is(err: unknown, kind?: VendorErrorKind): err is VendorError {
    return err instanceof VendorError && (kind === undefined || err.kind === kind);
  }
}
