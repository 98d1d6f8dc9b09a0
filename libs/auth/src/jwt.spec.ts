import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, KeyLike, SignJWT } from 'jose';
import { AuthenticationError, JwtVerifier, signDevToken } from './jwt';
import { canSeeCustomer, scopeOf, scopeSql } from './tenant-scope';

const SECRET = 'unit-test-secret-unit-test-secret-123';
const CUSTOMER = '5d0b7ad1-7c3f-4d61-9a4f-2f1d9a0e8b11';
const PARTNER = '0b7c2b1e-1d2c-4a57-8f0c-3f8e9c1d2a22';

describe('development tokens (HS256)', () => {
  const verifier = new JwtVerifier({ mode: 'hs256', secret: SECRET });

  it('accepts a token made by `npm run token` and exposes the claims', async () => {
    const token = await signDevToken({ sub: 'u1', role: 'customer_admin', customerId: CUSTOMER }, SECRET);
    const p = await verifier.verifyHeader(`Bearer ${token}`);
    expect(p).toMatchObject({ subject: 'u1', role: 'customer_admin', customerId: CUSTOMER, partnerId: null, isCustomer: true, isProvider: false });
  });

  it.each([
    ['no header', undefined, 'missing Authorization header'],
    ['not a bearer token', 'Basic dXNlcjpwYXNz', 'must be "Bearer <token>"'],
    ['garbage', 'Bearer not.a.jwt', 'the token is not valid'],
  ])('rejects %s', async (_, header, message) => {
    await expect(verifier.verifyHeader(header)).rejects.toThrow(message);
  });

  it('rejects a token signed with another secret', async () => {
    const token = await signDevToken({ sub: 'u1', role: 'analyst' }, 'another-secret-another-secret-12345');
    await expect(verifier.verify(token)).rejects.toThrow(AuthenticationError);
  });

  it('rejects an expired token, saying so', async () => {
    const token = await new SignJWT({ role: 'analyst' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer('kanshi-dev')
      .setAudience('kanshi')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifier.verify(token)).rejects.toThrow('the token has expired');
  });

  it('rejects claims that do not make a caller: unknown role, customer role without customer', async () => {
    const sign = (payload: Record<string, unknown>) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setIssuer('kanshi-dev').setAudience('kanshi').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
    await expect(verifier.verify(await sign({ role: 'root' }))).rejects.toThrow('unknown role "root"');
    await expect(verifier.verify(await sign({ role: 'customer_viewer' }))).rejects.toThrow('role customer_viewer requires a customerId claim');
    await expect(verifier.verify(await sign({ role: 'partner_admin' }))).rejects.toThrow('role partner_admin requires a partnerId claim');
  });

  it('refuses the "none" algorithm', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'u1', role: 'provider_admin', iss: 'kanshi-dev', aud: 'kanshi', exp: 9999999999 })).toString('base64url');
    await expect(verifier.verify(`${header}.${body}.`)).rejects.toThrow(AuthenticationError);
  });
});

describe('production tokens (RS256 against an OIDC issuer JWKS)', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: KeyLike;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(() => new Promise((r) => server.close(r)));

  const issue = (claims: Record<string, unknown>, iss = 'https://id.example.test/') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'key-1' }).setSubject('user-7').setIssuer(iss).setAudience('kanshi-api').setExpirationTime('5m').sign(privateKey);

  it('verifies a token signed by the issuer key published in its JWKS', async () => {
    const v = new JwtVerifier({ mode: 'jwks', jwksUrl, issuer: 'https://id.example.test/', audience: 'kanshi-api' });
    const p = await v.verify(await issue({ role: 'partner_admin', partnerId: PARTNER }));
    expect(p).toMatchObject({ subject: 'user-7', role: 'partner_admin', partnerId: PARTNER, isPartner: true });
  });

  it('rejects a token minted for another API (audience)', async () => {
    const v = new JwtVerifier({ mode: 'jwks', jwksUrl, issuer: 'https://id.example.test/', audience: 'kanshi-api' });
    const other = await new SignJWT({ role: 'analyst' }).setProtectedHeader({ alg: 'RS256', kid: 'key-1' }).setSubject('user-7').setIssuer('https://id.example.test/').setAudience('mail-api').setExpirationTime('5m').sign(privateKey);
    await expect(v.verify(other)).rejects.toThrow("the token's aud claim is not accepted");
  });

  it('rejects a token without an expiry, and one that lives longer than allowed', async () => {
    const v = new JwtVerifier({ mode: 'jwks', jwksUrl, issuer: 'https://id.example.test/', audience: 'kanshi-api', maxLifetimeSeconds: 3600 });
    const base = () => new SignJWT({ role: 'analyst' }).setProtectedHeader({ alg: 'RS256', kid: 'key-1' }).setSubject('user-7').setIssuer('https://id.example.test/').setAudience('kanshi-api');
    await expect(v.verify(await base().sign(privateKey))).rejects.toThrow('the token has no exp claim');
    await expect(v.verify(await base().setIssuedAt().setExpirationTime('2h').sign(privateKey))).rejects.toThrow('the token lives longer than the 3600 s accepted');
    await expect(v.verify(await base().setIssuedAt().setExpirationTime('50m').sign(privateKey))).resolves.toMatchObject({ role: 'analyst' });
  });

  it('refuses to fetch keys over plain http from another machine, or without an audience', () => {
    expect(() => new JwtVerifier({ mode: 'jwks', jwksUrl: 'http://id.example.test/jwks', issuer: 'https://id.example.test/', audience: 'kanshi-api' })).toThrow('OIDC_JWKS_URL must be an https URL');
    expect(() => new JwtVerifier({ mode: 'jwks', jwksUrl, issuer: 'https://id.example.test/', audience: '' })).toThrow('an audience is required');
  });

  it('rejects a token from another issuer', async () => {
    const v = new JwtVerifier({ mode: 'jwks', jwksUrl, issuer: 'https://id.example.test/', audience: 'kanshi-api' });
    await expect(v.verify(await issue({ role: 'analyst' }, 'https://evil.example.test/'))).rejects.toThrow("the token's iss claim is not accepted");
  });

  it('rejects an HS256 token even if it carries valid-looking claims', async () => {
    const v = new JwtVerifier({ mode: 'jwks', jwksUrl, issuer: 'https://id.example.test/', audience: 'kanshi-api' });
    const forged = await new SignJWT({ role: 'provider_admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('https://id.example.test/').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
    await expect(v.verify(forged)).rejects.toThrow(AuthenticationError);
  });
});

describe('tenant scopes', () => {
  const make = async (role: Parameters<typeof signDevToken>[0]['role'], ids: { customerId?: string; partnerId?: string } = {}) =>
    new JwtVerifier({ mode: 'hs256', secret: SECRET }).verify(await signDevToken({ sub: 's', role, ...ids }, SECRET));

  it('lets provider staff see every customer, a partner its own, a customer itself', async () => {
    const own = { customerId: CUSTOMER, partnerId: PARTNER };
    const direct = { customerId: 'c2', partnerId: null };
    const staff = scopeOf(await make('analyst'));
    const partner = scopeOf(await make('partner_admin', { partnerId: PARTNER }));
    const customer = scopeOf(await make('customer_viewer', { customerId: CUSTOMER }));
    expect([canSeeCustomer(staff, own), canSeeCustomer(staff, direct)]).toEqual([true, true]);
    expect([canSeeCustomer(partner, own), canSeeCustomer(partner, direct)]).toEqual([true, false]);
    expect([canSeeCustomer(customer, own), canSeeCustomer(customer, direct)]).toEqual([true, false]);
  });

  it('restricts SQL to the scope through the service directory for partners', async () => {
    const directory = { table: '"incident".tenant_customer', customerColumn: 'customer_id', partnerColumn: 'partner_id' };
    expect(scopeSql(scopeOf(await make('sales')), 'x.customer_id', directory, '$1')).toEqual({ sql: 'TRUE', params: [] });
    expect(scopeSql(scopeOf(await make('customer_admin', { customerId: CUSTOMER })), 'x.customer_id', directory, '$3')).toEqual({ sql: 'x.customer_id = $3', params: [CUSTOMER] });
    expect(scopeSql(scopeOf(await make('partner_admin', { partnerId: PARTNER })), 'x.customer_id', directory, ':t')).toEqual({
      sql: 'x.customer_id IN (SELECT customer_id FROM "incident".tenant_customer WHERE partner_id = :t)',
      params: [PARTNER],
    });
  });
});

describe('verified-token cache', () => {
  afterEach(() => jest.useRealTimers());

  it('stops accepting a cached token once it has expired', async () => {
    const verifier = new JwtVerifier({ mode: 'hs256', secret: SECRET });
    const token = await signDevToken({ sub: 'u1', role: 'analyst' }, SECRET, 60);
    expect((await verifier.verify(token)).role).toBe('analyst');
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    jest.setSystemTime(Date.now() + 120_000); // past exp and jose's 30 s clock tolerance
    await expect(verifier.verify(token)).rejects.toThrow('the token has expired');
  });
});
