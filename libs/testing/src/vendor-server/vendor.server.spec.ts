// The vendor-server kit over real HTTP (Node's fetch, i.e. undici) on 127.0.0.1.
import { ClientCredentialsTokens } from './oauth-tokens';
import { VendorResponseError, VendorServer } from './vendor.server';

// Response bodies are asserted on field by field, not typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type ApiResponse = Omit<Response, 'json'> & { json(): Promise<Json> };
const http = (url: string, init?: RequestInit): Promise<ApiResponse> => fetch(url, init);

interface Device {
  id: string;
  hostname: string;
}

function setup(): { sut: VendorServer; devices: Map<string, Device> } {
  const devices = new Map<string, Device>([['d1', { id: 'd1', hostname: 'pc-01' }]]);
  const sut = new VendorServer({ name: 'FakeEdr' })
    .get('/devices/:id', (req) => {
      const device = devices.get(req.params.id);
      if (!device) throw new VendorResponseError({ status: 404, json: { errors: [{ message: `no device ${req.params.id}` }] } });
      return { json: device };
    })
    .get('/devices', (req) => ({ json: { ids: req.query.ids, limit: req.query.limit } }))
    .post('/devices', (req) => {
      const body = req.body as { hostname?: string };
      if (!body?.hostname) throw new VendorResponseError({ status: 400, json: { error: 'hostname required' } });
      const device = { id: `d${devices.size + 1}`, hostname: body.hostname };
      devices.set(device.id, device);
      return { status: 201, json: device };
    })
    .post('/jobs', async (req) => {
      await new Promise((r) => setTimeout(r, Number(req.query.wait ?? 0)));
      return { status: 202, json: { accepted: true } };
    })
    .route('PUT', '/files/*', (req) => ({ json: { stored: req.params['*'], body: req.body } }));
  return { sut, devices };
}

describe('VendorServer', () => {
  let sut: VendorServer;
  let devices: Map<string, Device>;
  let base: string;

  beforeAll(async () => {
    ({ sut, devices } = setup());
    base = (await sut.start()).url;
  });
  afterEach(async () => {
    await sut.reset();
    for (const id of [...devices.keys()]) if (id !== 'd1') devices.delete(id);
  });
  afterAll(() => sut.stop());

  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> =>
    http(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

  describe('routing', () => {
    it('listens on 127.0.0.1 on a free port', () => {
      expect(sut.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sut.port).toBeGreaterThan(0);
    });

    it('passes URI-decoded path params and the query (repeated keys as arrays) to the route', async () => {
      const one = await http(`${base}/devices/d1`);
      expect(one.status).toBe(200);
      expect(one.headers.get('content-type')).toBe('application/json');
      expect(await one.json()).toEqual({ id: 'd1', hostname: 'pc-01' });

      const listed = await http(`${base}/devices?ids=a&ids=b%20c&limit=5`);
      expect(await listed.json()).toEqual({ ids: ['a', 'b c'], limit: '5' });

      const wildcard = await http(`${base}/files/a/b%2Fc.txt`, { method: 'PUT', body: 'raw text', headers: { 'Content-Type': 'text/plain' } });
      expect(await wildcard.json()).toEqual({ stored: 'a/b/c.txt', body: 'raw text' });
    });

    it('parses JSON and form-urlencoded bodies', async () => {
      expect(await (await postJson('/devices', { hostname: 'pc-02' })).json()).toEqual({ id: 'd2', hostname: 'pc-02' });
      const form = await http(`${base}/devices`, { method: 'POST', body: new URLSearchParams({ hostname: 'pc-03' }) });
      expect(form.status).toBe(201);
      expect(sut.lastRequest()?.body).toEqual({ hostname: 'pc-03' });
    });

    it('answers 404 for an unknown path or method, and 400 for malformed JSON', async () => {
      const unknown = await http(`${base}/nowhere`);
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).error.message).toBe('FakeEdr has no route for GET /nowhere');
      expect((await http(`${base}/devices/d1`, { method: 'DELETE' })).status).toBe(404);

      const bad = await http(`${base}/devices`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"hostname":' });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.message).toMatch(/^invalid request: /);
      expect(sut.lastRequest()).toMatchObject({ body: undefined, bodyError: expect.any(String) });
    });

    it('answers a thrown VendorResponseError as the vendor would', async () => {
      const res = await http(`${base}/devices/d9`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ errors: [{ message: 'no device d9' }] });
    });
  });

  describe('the request log', () => {
    it('records method, path, route, params, query, headers, body and status, in order', async () => {
      await http(`${base}/devices/d1?fields=hostname`, { headers: { Authorization: 'Bearer tok-123', 'X-Request-Source': 'spec' } });
      await postJson('/devices', { hostname: 'pc-02' });

      expect(sut.requests).toHaveLength(2);
      expect(sut.requests[0]).toMatchObject({
        seq: 1,
        method: 'GET',
        path: '/devices/d1',
        route: '/devices/:id',
        params: { id: 'd1' },
        query: { fields: 'hostname' },
        rawQuery: 'fields=hostname',
        headers: expect.objectContaining({ authorization: 'Bearer tok-123', 'x-request-source': 'spec' }),
        authorization: { scheme: 'Bearer', token: 'tok-123' },
        status: 200,
        replayed: false,
        injected: undefined,
      });
      expect(sut.requests[1]).toMatchObject({ seq: 2, method: 'POST', body: { hostname: 'pc-02' }, rawBody: '{"hostname":"pc-02"}', status: 201 });
    });

    it('splits Basic credentials so a test can assert on the secret sent', async () => {
      await http(`${base}/devices/d1`, { headers: { Authorization: `Basic ${Buffer.from('client-1:s3cret:x').toString('base64')}` } });
      expect(sut.lastRequest()?.authorization).toEqual({ scheme: 'Basic', user: 'client-1', password: 's3cret:x' });
    });

    it('finds and counts requests by method, route pattern, exact path, RegExp or predicate', async () => {
      await http(`${base}/devices/d1`);
      await http(`${base}/devices/d2`);
      await postJson('/devices', { hostname: 'pc-02' });

      expect(sut.countRequests({ path: '/devices/:id' })).toBe(2);
      expect(sut.countRequests({ path: '/devices/d2' })).toBe(1);
      expect(sut.countRequests({ method: 'post', path: /^\/devices$/ })).toBe(1);
      expect(sut.findRequests({ where: (r) => r.status === 404 }).map((r) => r.path)).toEqual(['/devices/d2']);
      expect(sut.lastRequest({ method: 'GET' })?.path).toBe('/devices/d2');
      expect(sut.countRequests()).toBe(3);
    });

    it('emits request before answering, and reset empties the log', async () => {
      const seen: string[] = [];
      const listener = (r: { path: string; status: number }): void => {
        seen.push(`${r.path} ${r.status}`);
      };
      sut.on('request', listener);
      await http(`${base}/devices/d1`);
      sut.off('request', listener);
      expect(seen).toEqual(['/devices/d1 0']);

      await sut.reset();
      expect(sut.requests).toEqual([]);
      await http(`${base}/devices/d1`);
      expect(sut.requests[0].seq).toBe(1);
    });
  });

  describe('failure injection', () => {
    it('answers the next n requests with a 5xx without running the route, then recovers', async () => {
      sut.failNext(2, { kind: 'error', status: 503, json: { errors: [{ code: 503, message: 'maintenance' }] } });
      const first = await postJson('/devices', { hostname: 'pc-02' });
      expect(first.status).toBe(503);
      expect(await first.json()).toEqual({ errors: [{ code: 503, message: 'maintenance' }] });
      expect((await http(`${base}/devices/d1`)).status).toBe(503);
      expect((await http(`${base}/devices/d1`)).status).toBe(200);
      expect(devices.size).toBe(1);
      expect(sut.requests.map((r) => [r.status, r.injected])).toEqual([
        [503, 'error'],
        [503, 'error'],
        [200, undefined],
      ]);
    });

    it('scopes a failure to one route and method, and can let some requests through first', async () => {
      sut.failNext(1, { kind: 'error' }, { method: 'GET', path: '/devices/:id', skip: 1 });
      expect((await http(`${base}/devices?ids=a`)).status).toBe(200);
      expect((await http(`${base}/devices/d1`)).status).toBe(200);
      expect((await http(`${base}/devices/d1`)).status).toBe(500);
      expect((await http(`${base}/devices/d1`)).status).toBe(200);
      expect(sut.pendingFailures).toBe(0);
    });

    it('fails every matching request with n = Infinity until cleared', async () => {
      sut.failNext(Infinity, { kind: 'error', status: 502 }, { path: '/devices/:id' });
      for (let i = 0; i < 3; i++) expect((await http(`${base}/devices/d1`)).status).toBe(502);
      sut.clearFailures();
      expect((await http(`${base}/devices/d1`)).status).toBe(200);
    });

    it('answers 429 with Retry-After in seconds or as an HTTP date', async () => {
      const at = new Date('2031-01-31T15:00:00Z');
      sut.failNext(1, { kind: 'rate-limit', retryAfter: 30 });
      sut.failNext(1, { kind: 'rate-limit', retryAfter: at, headers: { 'X-RateLimit-Remaining': '0' } });
      sut.failNext(1, { kind: 'rate-limit', retryAfter: 2.2 });

      const seconds = await http(`${base}/devices/d1`);
      expect(seconds.status).toBe(429);
      expect(seconds.headers.get('retry-after')).toBe('30');
      const dated = await http(`${base}/devices/d1`);
      expect(dated.headers.get('retry-after')).toBe('Fri, 31 Jan 2031 15:00:00 GMT');
      expect(dated.headers.get('x-ratelimit-remaining')).toBe('0');
      expect((await http(`${base}/devices/d1`)).headers.get('retry-after')).toBe('3');
      expect(sut.requests.map((r) => r.injected)).toEqual(['rate-limit', 'rate-limit', 'rate-limit']);
    });

    it('answers 401 invalid_token for an expired token', async () => {
      sut.failNext(1, { kind: 'expired-token' });
      const res = await http(`${base}/devices/d1`, { headers: { Authorization: 'Bearer old' } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      expect(await res.json()).toEqual({ error: 'invalid_token', error_description: 'The access token expired' });
    });

    it('drops the connection without running the route', async () => {
      sut.failNext(1, { kind: 'drop' });
      await expect(postJson('/devices', { hostname: 'pc-02' })).rejects.toThrow();
      expect(devices.size).toBe(1);
      expect(sut.requests[0]).toMatchObject({ injected: 'drop', status: 0 });
    });

    it('runs the route and then loses the response', async () => {
      sut.failNext(1, { kind: 'lose-response' });
      await expect(postJson('/devices', { hostname: 'pc-02' })).rejects.toThrow();
      expect(devices.get('d2')).toEqual({ id: 'd2', hostname: 'pc-02' });
    });

    it('hangs until the client times out', async () => {
      sut.failNext(1, { kind: 'hang' });
      const started = Date.now();
      await expect(http(`${base}/devices/d1`, { signal: AbortSignal.timeout(150) })).rejects.toThrow(/timeout|aborted/i);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect((await http(`${base}/devices/d1`)).status).toBe(200);
    });

    it('answers late after a delay, having still done the work the client gave up on', async () => {
      sut.failNext(1, { kind: 'delay', ms: 300 }, { method: 'POST' });
      await expect(postJson('/devices', { hostname: 'pc-02' }, {}).then(() => 'answered')).resolves.toBe('answered');
      sut.failNext(1, { kind: 'delay', ms: 300 }, { method: 'POST' });
      await expect(http(`${base}/devices`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"hostname":"pc-03"}', signal: AbortSignal.timeout(100) })).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 300));
      expect([...devices.values()].map((d) => d.hostname)).toEqual(['pc-01', 'pc-02', 'pc-03']);
      expect(sut.requests.map((r) => r.injected)).toEqual(['delay', 'delay']);
    });

    it('refuses connections while down and serves again on the same port', async () => {
      const port = sut.port;
      await sut.setDown(true);
      await expect(http(`${base}/devices/d1`)).rejects.toThrow();
      await sut.setDown(false);
      expect(sut.port).toBe(port);
      expect((await http(`${base}/devices/d1`)).status).toBe(200);

      await sut.setDown(true, 'reset');
      expect(sut.isDown).toBe(true);
      await expect(http(`${base}/devices/d1`)).rejects.toThrow();
      await sut.reset();
      expect((await http(`${base}/devices/d1`)).status).toBe(200);
    });
  });

  describe('idempotency keys', () => {
    it('replays the first answer for a repeated key and request, without running the route again', async () => {
      const first = await postJson('/devices', { hostname: 'pc-02' }, { 'Idempotency-Key': 'k1' });
      const again = await postJson('/devices', { hostname: 'pc-02' }, { 'Idempotency-Key': 'k1' });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(await again.json()).toEqual(await first.json());
      expect(devices.size).toBe(2);
      expect(sut.requests.map((r) => [r.idempotencyKey, r.replayed])).toEqual([
        ['k1', false],
        ['k1', true],
      ]);
    });

    it('answers 422 when a key is reused with a different body, and keys are per credential', async () => {
      await postJson('/devices', { hostname: 'pc-02' }, { 'Idempotency-Key': 'k2', Authorization: 'Bearer a' });
      const changed = await postJson('/devices', { hostname: 'pc-99' }, { 'Idempotency-Key': 'k2', Authorization: 'Bearer a' });
      expect(changed.status).toBe(422);
      expect((await changed.json()).error.message).toContain("'k2'");

      const otherAccount = await postJson('/devices', { hostname: 'pc-99' }, { 'Idempotency-Key': 'k2', Authorization: 'Bearer b' });
      expect(otherAccount.status).toBe(201);
      expect(devices.size).toBe(3);
    });

    it('does not save a rejected request, so it can be retried with the same key once fixed', async () => {
      expect((await postJson('/devices', {}, { 'Idempotency-Key': 'k3' })).status).toBe(400);
      expect((await postJson('/devices', { hostname: 'pc-02' }, { 'Idempotency-Key': 'k3' })).status).toBe(201);
    });

    it('saves the answer of a request whose response was lost, for the retry', async () => {
      sut.failNext(1, { kind: 'lose-response' });
      await expect(postJson('/devices', { hostname: 'pc-02' }, { 'Idempotency-Key': 'k4' })).rejects.toThrow();
      const retried = await postJson('/devices', { hostname: 'pc-02' }, { 'Idempotency-Key': 'k4' });
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(await retried.json()).toEqual({ id: 'd2', hostname: 'pc-02' });
      expect(devices.size).toBe(2);
    });

    it('answers 409 while the first request with the key is still running', async () => {
      const slow = postJson('/jobs?wait=200', { kind: 'scan' }, { 'Idempotency-Key': 'k5' });
      await new Promise((r) => setTimeout(r, 50));
      const concurrent = await postJson('/jobs', { kind: 'scan' }, { 'Idempotency-Key': 'k5' });
      expect(concurrent.status).toBe(409);
      expect((await slow).status).toBe(202);
      expect((await postJson('/jobs', { kind: 'scan' }, { 'Idempotency-Key': 'k5' })).headers.get('idempotent-replayed')).toBe('true');
      expect(sut.countRequests({ path: '/jobs', where: (r) => !r.replayed && r.status === 202 })).toBe(1);
    });

    it('forgets keys when told they expired, and ignores keys on GET', async () => {
      await postJson('/devices', { hostname: 'pc-02' }, { 'Idempotency-Key': 'k6' });
      sut.expireIdempotencyKeys();
      await postJson('/devices', { hostname: 'pc-02' }, { 'Idempotency-Key': 'k6' });
      expect(devices.size).toBe(3);

      await http(`${base}/devices/d1`, { headers: { 'Idempotency-Key': 'k7' } });
      expect((await http(`${base}/devices/d2`, { headers: { 'Idempotency-Key': 'k7' } })).status).toBe(200);
    });
  });
});

describe('ClientCredentialsTokens', () => {
  let clock = new Date('2031-01-01T00:00:00Z');
  const tokens = new ClientCredentialsTokens({ clients: { 'client-1': 's3cret' }, ttlSeconds: 1800, tokenStatus: 201, now: () => clock });
  const sut = new VendorServer({ name: 'FakeEdr', now: () => clock });
  tokens.mount(sut);
  sut.get(
    '/devices/:id',
    tokens.protect((req) => ({ json: { id: req.params.id } })),
  );
  let base: string;

  beforeAll(async () => {
    base = (await sut.start()).url;
  });
  afterEach(async () => {
    await sut.reset();
    tokens.reset();
    clock = new Date('2031-01-01T00:00:00Z');
  });
  afterAll(() => sut.stop());

  const token = async (body: Record<string, string>, headers: Record<string, string> = {}): Promise<ApiResponse> =>
    http(`${base}/oauth2/token`, { method: 'POST', headers, body: new URLSearchParams(body) });
  const device = (accessToken: string): Promise<ApiResponse> => http(`${base}/devices/d1`, { headers: { Authorization: `Bearer ${accessToken}` } });

  it('issues a bearer token for a known client (form body or Basic) and accepts it', async () => {
    const res = await token({ grant_type: 'client_credentials', client_id: 'client-1', client_secret: 's3cret' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 1800 });
    expect((await device(body.access_token)).status).toBe(200);

    const basic = await token({ grant_type: 'client_credentials' }, { Authorization: `Basic ${Buffer.from('client-1:s3cret').toString('base64')}` });
    expect(basic.status).toBe(201);
    expect(tokens.issued.map((t) => t.clientId)).toEqual(['client-1', 'client-1']);
  });

  it('refuses a wrong secret with invalid_client and another grant with unsupported_grant_type', async () => {
    const wrong = await token({ client_id: 'client-1', client_secret: 'nope' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error).toBe('invalid_client');
    const grant = await token({ grant_type: 'password', client_id: 'client-1', client_secret: 's3cret' });
    expect(grant.status).toBe(400);
    expect((await grant.json()).error).toBe('unsupported_grant_type');
    expect(tokens.issued).toHaveLength(0);
  });

  it('answers 401 without a token, and invalid_token for an unknown one', async () => {
    const none = await http(`${base}/devices/d1`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const unknown = await device('forged');
    expect(unknown.status).toBe(401);
    expect((await unknown.json()).error).toBe('invalid_token');
  });

  it('answers 401 expired once the token outlives expires_in', async () => {
    const { access_token } = await (await token({ client_id: 'client-1', client_secret: 's3cret' })).json();
    clock = new Date(clock.getTime() + 1799_000);
    expect((await device(access_token)).status).toBe(200);
    clock = new Date(clock.getTime() + 1_000);
    const expired = await device(access_token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('The access token expired');
  });

  it('answers 401 for tokens issued before a given moment, while a new token works', async () => {
    const { access_token: old } = await (await token({ client_id: 'client-1', client_secret: 's3cret' })).json();
    tokens.expireTokensIssuedBefore(clock);
    expect((await device(old)).status).toBe(401);
    clock = new Date(clock.getTime() + 1_000);
    const { access_token: fresh } = await (await token({ client_id: 'client-1', client_secret: 's3cret' })).json();
    expect((await device(fresh)).status).toBe(200);
    expect(sut.findRequests({ path: '/devices/:id' }).map((r) => [r.authorization, r.status])).toEqual([
      [{ scheme: 'Bearer', token: old }, 401],
      [{ scheme: 'Bearer', token: fresh }, 200],
    ]);
  });
});
