// Idempotency keys for the vendor-server kit, as Stripe documents them
// (https://docs.stripe.com/api/idempotent_requests): the first answer for a key is saved and
// replayed for a retry with the same key and the same request; the same key with a different
// request is an error; a key still being processed is a conflict.

/** An answer as saved for replay. */
export interface SavedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export type IdempotencyLookup =
  | { state: 'new' }
  | { state: 'replay'; answer: SavedAnswer }
  | { state: 'mismatch' }
  | { state: 'in-flight' };

export class IdempotencyStore {
  private readonly saved = new Map<string, { fingerprint: string; answer: SavedAnswer }>();
  private readonly inFlight = new Map<string, string>();

  /** Looks the key up; a `new` key is marked in flight until `save` or `release`. */
  begin(key: string, fingerprint: string): IdempotencyLookup {
    const saved = this.saved.get(key);
    if (saved) return saved.fingerprint === fingerprint ? { state: 'replay', answer: saved.answer } : { state: 'mismatch' };
    if (this.inFlight.has(key)) return this.inFlight.get(key) === fingerprint ? { state: 'in-flight' } : { state: 'mismatch' };
    this.inFlight.set(key, fingerprint);
    return { state: 'new' };
  }

  save(key: string, fingerprint: string, answer: SavedAnswer): void {
    this.inFlight.delete(key);
    this.saved.set(key, { fingerprint, answer });
  }

  /** The request was rejected before it ran: nothing saved, the key may be used again. */
  release(key: string): void {
    this.inFlight.delete(key);
  }

  get size(): number {
    return this.saved.size;
  }

  /** Forgets every saved answer (Stripe prunes keys after 24 hours). */
  clear(): void {
    this.saved.clear();
    this.inFlight.clear();
  }
}
