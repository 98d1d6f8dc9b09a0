// The part every local EDR console shares: the kit's server, the shared state (tenants, tokens,
// rate limit, latency, containment, action log) and the test-facing controls. Each vendor's file
// adds its routes, its authentication and its documented error bodies.
import { Failure, FailureScope } from '../failures';
import { VendorRequest, VendorResponse, VendorServer } from '../vendor.server';
import { FakeEdrAction, FakeEdrHost, FakeEdrHostInput, FakeEdrOptions, FakeEdrState, FakeEdrTenant, FakeEdrTenantInput } from './fake-edr-state';

export abstract class FakeEdrServer {
  protected readonly server: VendorServer;
  protected readonly state: FakeEdrState;

  protected constructor(name: string, options: FakeEdrOptions, newAgentId: (hostName: string) => string) {
    this.state = new FakeEdrState(options, newAgentId);
    this.server = new VendorServer({ name, host: options.host, port: options.port, idempotency: false, before: [(req) => this.rateLimit(req)] });
  }

  // The vendor's error body for a status and message.
  protected abstract errorBody(status: number, message: string): unknown;

  // The credential a request is counted against for the rate limit (undefined: not limited).
  protected abstract rateKey(req: VendorRequest): string | undefined;

  // ----- tenants and hosts -----

  addTenant(input: FakeEdrTenantInput = {}): FakeEdrTenant {
    return this.state.addTenant(input);
  }

  addHost(tenantId: string, input: FakeEdrHostInput): FakeEdrHost {
    return this.state.addHost(tenantId, input);
  }

  host(agentId: string): FakeEdrHost | undefined {
    return this.state.host(agentId);
  }

  // ----- containment record -----

  get actions(): FakeEdrAction[] {
    return this.state.actions;
  }

  actionCount(agentId: string, action?: 'contain' | 'release'): number {
    return this.state.actionCount(agentId, action);
  }

  duplicateActions(): FakeEdrAction[] {
    return this.state.duplicateActions();
  }

  settleAll(): void {
    this.state.settleAll();
  }

  get peakConcurrency(): number {
    return this.state.peakConcurrency;
  }

  // ----- tokens, latency, failures -----

  expireTokens(): void {
    this.state.expireTokens();
  }

  setLatency(ms: number): void {
    this.state.setLatency(ms);
  }

  failNext(n: number, failure: Failure, scope?: FailureScope<VendorRequest>): void {
    this.server.failNext(n, failure, scope);
  }

  // The next `n` requests (in `scope`) answer `status` (503 by default) with the vendor's error body.
  failNextWithServerError(n: number, status = 503, scope?: FailureScope<VendorRequest>): void {
    this.server.failNext(n, { kind: 'error', status, json: this.errorBody(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error') }, scope);
  }

  // The next `n` requests answer 429 with Retry-After and the vendor's error body.
  rateLimitNext(n: number, retryAfterSeconds = 1, scope?: FailureScope<VendorRequest>): void {
    this.server.failNext(n, { kind: 'error', status: 429, json: this.errorBody(429, 'API rate limit exceeded.'), headers: this.rateLimitHeaders(retryAfterSeconds) }, scope);
  }

  // The next `n` requests never get an answer.
  hangNext(n: number, scope?: FailureScope<VendorRequest>): void {
    this.server.failNext(n, { kind: 'hang' }, scope);
  }

  // ----- the log and lifecycle -----

  get requests(): VendorRequest[] {
    return this.server.requests;
  }

  findRequests(method: string, path: string | RegExp): VendorRequest[] {
    return this.server.findRequests({ method, path });
  }

  start(): Promise<{ port: number; url: string }> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  // Clears the request log, failures, rate-limit use, the action log and the concurrency peak;
  // tenants, hosts and tokens stay.
  async reset(): Promise<void> {
    this.state.reset();
    await this.server.reset();
  }

  setDown(down: boolean, mode: 'refuse' | 'reset' = 'refuse'): Promise<void> {
    return this.server.setDown(down, mode);
  }

  get url(): string {
    return this.server.url;
  }

  get port(): number {
    return this.server.port;
  }

  protected rateLimitHeaders(retryAfterSeconds: number): Record<string, string> {
    return { 'Retry-After': String(retryAfterSeconds) };
  }

  protected error(status: number, message: string, headers?: Record<string, string>): VendorResponse {
    return { status, json: this.errorBody(status, message), headers };
  }

  private rateLimit(req: VendorRequest): VendorResponse | undefined {
    const key = this.rateKey(req);
    if (key === undefined) return undefined;
    const retryAfter = this.state.overLimit(key);
    return retryAfter === undefined ? undefined : this.error(429, 'API rate limit exceeded.', this.rateLimitHeaders(retryAfter));
  }
}
