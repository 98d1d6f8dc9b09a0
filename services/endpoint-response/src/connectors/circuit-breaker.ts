// A circuit breaker of one (vendor, customer): CLOSED lets every call through; after
// `failures` calls in a row failed it is OPEN (every call refused at once) for `cooldownMs`; then
// HALF_OPEN lets one trial call through: its success closes the circuit, its failure opens it again.
export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;

  constructor(
    private readonly failures: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    if (this.openedAt === null) return 'CLOSED';
    return this.now() - this.openedAt >= this.cooldownMs ? 'HALF_OPEN' : 'OPEN';
  }

  // When the circuit lets calls through again (null when closed).
  get reopensAt(): Date | null {
    return this.openedAt === null ? null : new Date(this.openedAt + this.cooldownMs);
  }

  // True when the call may go; a HALF_OPEN circuit admits one trial call at a time.
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'CLOSED') return true;
    if (state === 'OPEN' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.consecutiveFailures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  failure(): void {
    this.consecutiveFailures++;
    if (this.trialInFlight || this.consecutiveFailures >= this.failures) this.openedAt = this.now();
    this.trialInFlight = false;
  }

  // A call that neither proved nor disproved the vendor's health (e.g. refused credentials).
  neutral(): void {
    this.trialInFlight = false;
  }
}
