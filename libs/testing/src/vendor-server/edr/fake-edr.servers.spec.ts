// The local consoles' documented shapes, as a client following the vendor's docs sees them (the
// adapters' own specs in endpoint-response cover the round trips).
import { FakeCrowdStrikeServer } from './fake-crowdstrike.server';
import { FakeFireEyeWsServer } from './fake-fireeye-ws.server';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('FakeFireEyeWsServer (NX / CM Web Services)', () => {
  const ws = new FakeFireEyeWsServer({ tokenTtlSeconds: 60 });
  beforeAll(() => ws.start());
  afterAll(() => ws.stop());

  async function login(user: string, password: string): Promise<Response> {
    return fetch(`${ws.url}/wsapis/v2.0.0/auth/login`, { method: 'POST', headers: { authorization: basic(user, password) } });
  }

  it('logs in with basic auth, answers alerts since start_time for the duration, and logs out', async () => {
    const nx = ws.addTenant();
    const other = ws.addTenant();
    const t0 = Date.parse('2026-11-21T01:00:00Z');
    ws.addAlert(nx.id, { occurred: new Date(t0 + 60_000), malwareName: 'Trojan.QakBot' });
    ws.addAlert(nx.id, { occurred: new Date(t0 + 3 * 3600_000) });
    ws.addAlert(other.id, { occurred: new Date(t0 + 60_000) });
    const res = await login(nx.clientId, nx.secret);
    expect(res.status).toBe(200);
    const token = res.headers.get('x-feapi-token')!;
    expect(token).toBeTruthy();
    const alerts = await fetch(`${ws.url}/wsapis/v2.0.0/alerts?start_time=${encodeURIComponent('2026-11-21T10:00:00.000+09:00')}&duration=2_hours&info_level=extended`, { headers: { 'x-feapi-token': token } });
    const body = (await alerts.json()) as { alert: Record<string, unknown>[]; alertsCount: number; msg: string };
    expect(body).toMatchObject({ alertsCount: 1, msg: 'extended' });
    expect(body.alert[0]).toMatchObject({ name: 'malware-callback', severity: 'majr', explanation: { 'malware-detected': { malware: { name: 'Trojan.QakBot' } } } });
    const concise = (await (await fetch(`${ws.url}/wsapis/v2.0.0/alerts?start_time=2026-11-21T01:00:00Z&duration=48_hours&info_level=concise`, { headers: { 'x-feapi-token': token } })).json()) as { alert: Record<string, unknown>[]; alertsCount: number };
    expect(concise.alertsCount).toBe(2);
    expect(concise.alert[0].explanation).toBeUndefined();
    expect((await fetch(`${ws.url}/wsapis/v2.0.0/auth/logout`, { method: 'POST', headers: { 'x-feapi-token': token } })).status).toBe(204);
    const after = await fetch(`${ws.url}/wsapis/v2.0.0/alerts?info_level=concise`, { headers: { 'x-feapi-token': token } });
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ fireeyeapis: { '@version': 'v2.0.0', description: 'Invalid or expired token', httpStatus: 401, message: 'Unauthorized' } });
  });

  it('refuses a wrong password, an expired token and a malformed duration with its error body', async () => {
    const nx = ws.addTenant();
    const bad = await login(nx.clientId, 'wrong');
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { fireeyeapis: { description: string } }).fireeyeapis.description).toBe('Authentication failed: invalid user name or password');
    const token = (await login(nx.clientId, nx.secret)).headers.get('x-feapi-token')!;
    const badDuration = await fetch(`${ws.url}/wsapis/v2.0.0/alerts?start_time=2026-11-21T01:00:00Z&duration=2_days`, { headers: { 'x-feapi-token': token } });
    expect(badDuration.status).toBe(400);
    ws.expireTokens();
    expect((await fetch(`${ws.url}/wsapis/v2.0.0/alerts`, { headers: { 'x-feapi-token': token } })).status).toBe(401);
  });
});

describe('FakeCrowdStrikeServer', () => {
  const cs = new FakeCrowdStrikeServer({ rateLimit: { requests: 2, windowMs: 60_000 } });
  beforeAll(() => cs.start());
  afterAll(() => cs.stop());

  it('answers its documented error bodies and rate-limit headers', async () => {
    const t = cs.addTenant({ hosts: [{ hostName: 'PC-1' }] });
    const token = await fetch(`${cs.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: t.clientId, client_secret: t.secret }) });
    expect(token.status).toBe(201);
    const { access_token, expires_in } = (await token.json()) as { access_token: string; expires_in: number };
    expect(expires_in).toBe(1800);
    const auth = { authorization: `Bearer ${access_token}` };
    const q = await fetch(`${cs.url}/devices/queries/devices/v1?filter=${encodeURIComponent("hostname:'PC-1'")}`, { headers: auth });
    expect(((await q.json()) as { resources: string[] }).resources).toEqual([...t.hosts.keys()]);
    const limited = await fetch(`${cs.url}/devices/queries/devices/v1`, { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-retryafter'))).toBeGreaterThan(Date.now() / 1000);
    expect(await limited.json()).toMatchObject({ errors: [{ code: 429, message: 'API rate limit exceeded.' }], resources: [] });
    const unauthorized = await fetch(`${cs.url}/devices/queries/devices/v1`, { headers: { authorization: 'Bearer nope' } });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toMatchObject({ errors: [{ code: 401, message: 'access denied, invalid bearer token' }], resources: [] });
  });
});
