// A small kit for local stand-ins of vendor APIs (Stripe, EDR consoles, VirusTotal, a voice-call
// provider): tests point the vendor's real client, or plain HTTP following its documented API, at
// a node:http server on 127.0.0.1 and a random port. It gives
// - routes: method + path pattern (`/v1/customers/:id`), query and JSON / form bodies parsed;
// - a request log: every request with method, path, query, headers (Authorization kept, and
//   split into scheme and secret), parsed body, and how it was answered; find/count helpers;
// - failure injection for the next N requests, globally or per route: 5xx, 429 with
//   Retry-After, 401 expired token, dropped connection, lost response, hang, slow answer;
// - idempotency keys: the first answer for a key is replayed, another request with the same key
//   is an error;
// - start/stop/reset for beforeAll/afterEach/afterAll, and setDown() for an unreachable vendor.
// OAuth2 client-credential tokens (issue, expire) are in ./oauth-tokens.ts.
import { EventEmitter } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { BodyTooLargeError, canonicalJson, FlatParams, parseAuthorization, ParsedAuthorization, parseBodyByContentType, parseFlatParams, readRawBody } from './bodies';
import { Failure, FailureKind, FailureScope, FailureScript, retryAfterHeader } from './failures';
import { IdempotencyStore, SavedAnswer } from './idempotency';
import { compilePath, matches, matchPath, PathPattern, RequestMatch } from './routes';

/** A request as the routes see it and as the log keeps it. */
export interface VendorRequest<Q = FlatParams, B = unknown> {
  /** 1 for the first request after start or reset. */
  seq: number;
  receivedAt: Date;
  method: string;
  path: string;
  /** The pattern of the route that matched (`/v1/customers/:id`), if any. */
  route: string | undefined;
  params: Record<string, string>;
  rawQuery: string;
  query: Q;
  /** Lower-case names; secrets are kept so that tests can assert on what the client sent. */
  headers: Record<string, string>;
  authorization: ParsedAuthorization | undefined;
  rawBody: string;
  /** The body's bytes as received (binary uploads such as S3 objects; rawBody is their UTF-8 reading). */
  rawBytes: Buffer;
  /** `bodyOnParseError` (undefined by default) when the query or body could not be parsed. */
  body: B | undefined;
  /** Why the query or body could not be parsed; the server answers 400 unless a hook answers first. */
  bodyError: string | undefined;
  idempotencyKey: string | undefined;
  /** HTTP status answered; 0 while pending, or when the connection was dropped or hung. */
  status: number;
  replayed: boolean;
  injected: FailureKind | undefined;
}

export interface VendorResponse {
  /** 200 by default. */
  status?: number;
  /** Sent as `application/json` unless `headers` set a Content-Type. */
  json?: unknown;
  text?: string;
  /** Binary content (sent as `application/octet-stream` unless `headers` set a Content-Type). */
  bytes?: Buffer;
  headers?: Record<string, string>;
}

/** Thrown by a route or hook to answer with `response`; an idempotency key is not used up. */
export class VendorResponseError extends Error {
  constructor(
    readonly response: VendorResponse,
    message = `vendor answered ${response.status ?? 400}`,
  ) {
    super(message);
  }
}

export type RouteHandler<Q = FlatParams, B = unknown> = (req: VendorRequest<Q, B>) => VendorResponse | Promise<VendorResponse>;
export type RequestHook<Q = FlatParams, B = unknown> = (req: VendorRequest<Q, B>) => VendorResponse | undefined;

export interface IdempotencyOptions<Q, B> {
  /** `Idempotency-Key` by default. */
  header?: string;
  /** `POST` and `PATCH` by default. */
  methods?: string[];
  /** Keys are per account: the Authorization header by default. */
  scope?: (req: VendorRequest<Q, B>) => string;
  /** What makes two requests "the same": method, path and body by default. */
  fingerprint?: (req: VendorRequest<Q, B>) => string;
  maxKeyLength?: number;
  /** The answer to a key reused with a different request; 422 by default (IETF httpapi draft). */
  mismatch?: (req: VendorRequest<Q, B>, key: string) => VendorResponse;
  /** The answer while the first request with this key is still running; 409 by default. */
  conflict?: (req: VendorRequest<Q, B>, key: string) => VendorResponse;
  /** The answer to a key longer than `maxKeyLength`. */
  invalidKey?: (req: VendorRequest<Q, B>, key: string) => VendorResponse;
}

export interface VendorServerOptions<Q = FlatParams, B = unknown> {
  /** Shown in error messages. */
  name?: string;
  host?: string;
  /** 0 (a free port) by default. */
  port?: number;
  parseQuery?: (raw: string) => Q;
  /** Content-type based by default (see parseBodyByContentType). */
  parseBody?: (raw: string, req: { method: string; contentType: string }) => B;
  bodyOnParseError?: B;
  maxBodyBytes?: number;
  /** Indentation of JSON answers (Stripe pretty-prints). */
  jsonIndent?: number;
  /** Run in order after failure injection and before idempotency and routing (authentication, content checks). */
  before?: RequestHook<Q, B>[];
  notFound?: (req: VendorRequest<Q, B>) => VendorResponse;
  /** On by default; `false` turns keys off. */
  idempotency?: IdempotencyOptions<Q, B> | false;
  /** Headers added to every answer, replays and injected failures included (request ids, versions). */
  responseHeaders?: (req: VendorRequest<Q, B>, answer: { status: number; headers: Record<string, string> }) => Record<string, string>;
  now?: () => Date;
}

interface Route<Q, B> {
  method: string;
  pattern: PathPattern;
  handler: RouteHandler<Q, B>;
}

type Outcome = { kind: 'answer'; answer: SavedAnswer } | { kind: 'destroy' } | { kind: 'none' };

export class VendorServer<Q = FlatParams, B = unknown> extends EventEmitter {
  /** Every request received since start or reset, in arrival order (tests may empty it). */
  readonly requests: VendorRequest<Q, B>[] = [];

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly routes: Route<Q, B>[] = [];
  private readonly failures = new FailureScript<VendorRequest<Q, B>>();
  private readonly keys = new IdempotencyStore();
  private readonly sleepers = new Set<() => void>();
  private listeningPort: number | undefined;
  private downMode: 'refuse' | 'reset' | undefined;
  private seq = 0;

  constructor(private readonly options: VendorServerOptions<Q, B> = {}) {
    super();
    this.server = createServer((req, res) => {
      // A bug in a route answers 500 with its stack instead of hanging the test.
      this.handle(req, res).catch((err: unknown) => {
        if (res.headersSent || res.destroyed) return;
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `${this.name} bug: ${(err as Error).stack ?? String(err)}` } }));
      });
    });
    this.server.keepAliveTimeout = 5_000;
    this.server.on('connection', (socket: Socket) => {
      if (this.downMode === 'reset') {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get name(): string {
    return this.options.name ?? 'VendorServer';
  }

  // ----- routes -----

  route(method: string, path: string, handler: RouteHandler<Q, B>): this {
    this.routes.push({ method: method.toUpperCase(), pattern: compilePath(path), handler });
    return this;
  }

  get(path: string, handler: RouteHandler<Q, B>): this {
    return this.route('GET', path, handler);
  }

  post(path: string, handler: RouteHandler<Q, B>): this {
    return this.route('POST', path, handler);
  }

  // ----- lifecycle -----

  async start(): Promise<{ port: number; url: string }> {
    await this.listen(this.options.port ?? 0);
    return { port: this.port, url: this.url };
  }

  async stop(): Promise<void> {
    this.wakeSleepers();
    this.destroySockets();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Clears the log, pending failures and saved idempotent answers, and comes back up. Routes stay. */
  async reset(): Promise<void> {
    await this.setDown(false);
    this.failures.clear();
    this.keys.clear();
    this.requests.length = 0;
    this.seq = 0;
  }

  get port(): number {
    if (this.listeningPort === undefined) throw new Error(`${this.name} is not started`);
    return this.listeningPort;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /**
   * Simulates the vendor being unreachable. `refuse` (default) closes the listening socket, so
   * new connections get ECONNREFUSED; `reset` keeps listening but destroys every connection.
   * Open connections are destroyed in both modes. `setDown(false)` listens again on the same port.
   */
  async setDown(down: boolean, mode: 'refuse' | 'reset' = 'refuse'): Promise<void> {
    if (down) {
      this.downMode = mode;
      this.destroySockets();
      if (mode === 'refuse' && this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
      return;
    }
    const wasRefusing = this.downMode === 'refuse';
    this.downMode = undefined;
    if (wasRefusing && !this.server.listening && this.listeningPort !== undefined) await this.listen(this.listeningPort);
  }

  get isDown(): boolean {
    return this.downMode !== undefined;
  }

  // ----- failures and idempotency -----

  /** The next `n` requests in `scope` (all requests without one) fail as `failure`; `Infinity` until reset. */
  failNext(n: number, failure: Failure, scope?: FailureScope<VendorRequest<Q, B>>): void {
    this.failures.add(n, failure, scope);
  }

  clearFailures(): void {
    this.failures.clear();
  }

  /** Scripted failures not yet used. */
  get pendingFailures(): number {
    return this.failures.pending;
  }

  /** Forgets saved idempotent answers, as a vendor does once a key has expired. */
  expireIdempotencyKeys(): void {
    this.keys.clear();
  }

  // ----- the log -----

  findRequests(match?: RequestMatch<VendorRequest<Q, B>>): VendorRequest<Q, B>[] {
    return this.requests.filter((r) => matches(match, r));
  }

  countRequests(match?: RequestMatch<VendorRequest<Q, B>>): number {
    return this.findRequests(match).length;
  }

  lastRequest(match?: RequestMatch<VendorRequest<Q, B>>): VendorRequest<Q, B> | undefined {
    return this.findRequests(match).at(-1);
  }

  // ----- HTTP plumbing -----

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, this.host, () => {
        this.server.off('error', onError);
        const address = this.server.address();
        if (address && typeof address === 'object') this.listeningPort = address.port;
        resolve();
      });
    });
  }

  private destroySockets(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.server.closeAllConnections();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private wakeSleepers(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw: Buffer;
    try {
      raw = await readRawBody(req, this.options.maxBodyBytes ?? 1024 * 1024);
    } catch (err) {
      if (err instanceof BodyTooLargeError && !res.headersSent) res.writeHead(413).end();
      req.socket.destroy();
      return;
    }
    const entry = this.record(req, raw);
    this.emit('request', entry);
    // A listener may have taken the server down: the request never reaches the vendor.
    if (this.downMode !== undefined) {
      req.socket.destroy();
      return;
    }
    const outcome = await this.answer(entry);
    if (outcome.kind === 'none' || res.destroyed) return;
    // `lose-response`: the vendor did the work, the answer never arrives.
    if (outcome.kind === 'destroy' || entry.injected === 'lose-response') {
      req.socket.destroy();
      return;
    }
    const extra = this.options.responseHeaders?.(entry, outcome.answer) ?? {};
    const headers = { ...outcome.answer.headers, ...extra, 'Content-Length': String(Buffer.byteLength(outcome.answer.body)) };
    entry.status = outcome.answer.status;
    res.writeHead(outcome.answer.status, headers);
    res.end(outcome.answer.body);
  }

  private record(req: IncomingMessage, rawBytes: Buffer): VendorRequest<Q, B> {
    const rawBody = rawBytes.toString('utf8');
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://vendor.invalid');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const rawQuery = url.search.slice(1);
    let query: Q;
    let body: B | undefined;
    let bodyError: string | undefined;
    try {
      query = this.options.parseQuery ? this.options.parseQuery(rawQuery) : (parseFlatParams(rawQuery) as Q);
    } catch (err) {
      query = {} as Q;
      bodyError = `invalid query string: ${(err as Error).message}`;
    }
    try {
      const contentType = headers['content-type'] ?? '';
      body = this.options.parseBody ? this.options.parseBody(rawBody, { method, contentType }) : (parseBodyByContentType(rawBody, contentType) as B);
    } catch (err) {
      body = this.options.bodyOnParseError;
      bodyError ??= (err as Error).message;
    }
    const route = this.routes.find((r) => r.method === method && matchPath(r.pattern, url.pathname) !== undefined);
    const idempotencyHeader = (this.options.idempotency ? this.options.idempotency.header : undefined) ?? 'idempotency-key';
    const entry: VendorRequest<Q, B> = {
      seq: ++this.seq,
      receivedAt: this.options.now?.() ?? new Date(),
      method,
      path: url.pathname,
      route: route?.pattern.source,
      params: route ? (matchPath(route.pattern, url.pathname) ?? {}) : {},
      rawQuery,
      query,
      headers,
      authorization: parseAuthorization(headers.authorization),
      rawBody,
      rawBytes,
      body,
      bodyError,
      idempotencyKey: headers[idempotencyHeader.toLowerCase()],
      status: 0,
      replayed: false,
      injected: undefined,
    };
    this.requests.push(entry);
    return entry;
  }

  // Failure injection, hooks, idempotency and routing, in that order.
  private async answer(entry: VendorRequest<Q, B>): Promise<Outcome> {
    const failure = this.failures.take(entry);
    entry.injected = failure?.kind;
    if (failure) {
      const injected = this.injectedAnswer(failure);
      if (injected) return injected;
      if (failure.kind === 'delay') {
        await this.sleep(failure.ms);
        if (!this.server.listening) return { kind: 'none' };
      }
    }

    for (const hook of this.options.before ?? []) {
      const early = this.guard(() => hook(entry));
      if (early) return { kind: 'answer', answer: this.serialize(early) };
    }
    if (entry.bodyError !== undefined) return { kind: 'answer', answer: this.serialize({ status: 400, json: { error: { message: `invalid request: ${entry.bodyError}` } } }) };

    const idem = this.options.idempotency === false ? undefined : (this.options.idempotency ?? {});
    const methods = (idem?.methods ?? ['POST', 'PATCH']).map((m) => m.toUpperCase());
    const key = idem && methods.includes(entry.method) ? entry.idempotencyKey : undefined;
    let scoped: { key: string; fingerprint: string } | undefined;
    if (idem && key !== undefined) {
      if (key.length > (idem.maxKeyLength ?? 255)) {
        return { kind: 'answer', answer: this.serialize(idem.invalidKey?.(entry, key) ?? { status: 400, json: { error: { message: `Idempotency-Key is longer than ${idem.maxKeyLength ?? 255} characters` } } }) };
      }
      scoped = {
        key: `${idem.scope ? idem.scope(entry) : (entry.headers.authorization ?? '')}\u0000${key}`,
        fingerprint: idem.fingerprint ? idem.fingerprint(entry) : `${entry.method} ${entry.path} ${canonicalJson(entry.body)}`,
      };
      const found = this.keys.begin(scoped.key, scoped.fingerprint);
      if (found.state === 'replay') {
        entry.replayed = true;
        return { kind: 'answer', answer: { ...found.answer, headers: { ...found.answer.headers, 'Idempotent-Replayed': 'true' } } };
      }
      if (found.state === 'mismatch') {
        return { kind: 'answer', answer: this.serialize(idem.mismatch?.(entry, key) ?? { status: 422, json: { error: { message: `Idempotency-Key '${key}' was first used with a different request` } } }) };
      }
      if (found.state === 'in-flight') {
        return { kind: 'answer', answer: this.serialize(idem.conflict?.(entry, key) ?? { status: 409, json: { error: { message: `A request with Idempotency-Key '${key}' is still being processed` } } }) };
      }
    }

    const route = this.routes.find((r) => r.pattern.source === entry.route && r.method === entry.method);
    let response: VendorResponse;
    try {
      response = route
        ? await route.handler(entry)
        : (this.options.notFound?.(entry) ?? { status: 404, json: { error: { message: `${this.name} has no route for ${entry.method} ${entry.path}` } } });
    } catch (err) {
      if (scoped) this.keys.release(scoped.key);
      if (err instanceof VendorResponseError) return { kind: 'answer', answer: this.serialize(err.response) };
      throw err;
    }
    const answer = this.serialize(response);
    // Only an answer a route gave is saved: a rejection (thrown) or an unknown path may be retried.
    if (scoped) {
      if (route) this.keys.save(scoped.key, scoped.fingerprint, answer);
      else this.keys.release(scoped.key);
    }
    return { kind: 'answer', answer };
  }

  private guard(hook: () => VendorResponse | undefined): VendorResponse | undefined {
    try {
      return hook();
    } catch (err) {
      if (err instanceof VendorResponseError) return err.response;
      throw err;
    }
  }

  private injectedAnswer(failure: Failure): Outcome | undefined {
    switch (failure.kind) {
      case 'error':
        return { kind: 'answer', answer: this.serialize({ status: failure.status ?? 500, json: failure.json ?? { error: { message: 'injected failure' } }, headers: failure.headers }) };
      case 'rate-limit':
        return {
          kind: 'answer',
          answer: this.serialize({
            status: 429,
            json: failure.json ?? { error: { message: 'Too many requests' } },
            headers: { 'Retry-After': retryAfterHeader(failure.retryAfter ?? 1), ...failure.headers },
          }),
        };
      case 'expired-token':
        return {
          kind: 'answer',
          answer: this.serialize({
            status: 401,
            json: failure.json ?? { error: 'invalid_token', error_description: 'The access token expired' },
            headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token expired"' },
          }),
        };
      case 'drop':
        return { kind: 'destroy' };
      case 'hang':
        return { kind: 'none' };
      default:
        return undefined;
    }
  }

  private serialize(response: VendorResponse): SavedAnswer {
    const headers: Record<string, string> = {};
    let body: string | Buffer = '';
    if (response.bytes !== undefined) {
      headers['Content-Type'] = 'application/octet-stream';
      body = response.bytes;
    } else if (response.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(response.json, null, this.options.jsonIndent);
    } else if (response.text !== undefined) {
      headers['Content-Type'] = 'text/plain; charset=utf-8';
      body = response.text;
    }
    return { status: response.status ?? 200, headers: { ...headers, ...response.headers }, body };
  }
}
