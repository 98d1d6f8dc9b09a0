import { ConfigError, cronProblem, loadPlatformConfig, port } from './config';

const ok = { JWT_SECRET: 'a'.repeat(32), NODE_ENV: 'development' };

const jwks = { AUTH_MODE: 'jwks', OIDC_ISSUER: 'https://id.example.test/', OIDC_JWKS_URL: 'https://id.example.test/jwks', OIDC_AUDIENCE: 'kanshi-api' };

describe('configuration at boot', () => {
  it('applies defaults and parses numbers', () => {
    const c = loadPlatformConfig('incident', { PORT: port(4104) }, ok);
    expect(c).toMatchObject({ PORT: 4104, NATS_URL: 'nats://127.0.0.1:4222', DATABASE_POOL_SIZE: 10, AUTH_MODE: 'hs256' });
  });

  it('names every bad variable and what is wrong with it, all at once', () => {
    let error: ConfigError | undefined;
    try {
      loadPlatformConfig('incident', { PORT: port(4104) }, { PORT: 'http', DATABASE_URL: 'mysql://x/y', DATABASE_POOL_SIZE: '0', JWT_SECRET: 'a'.repeat(32) });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toEqual([
      'DATABASE_URL must use postgres: or postgresql: (got "mysql:")',
      'DATABASE_POOL_SIZE must be at least 1 (got 0)',
      'PORT must be an integer (got "http")',
    ]);
    expect(error!.message).toContain('incident: invalid configuration');
  });

  it('requires a long enough JWT secret in development and refuses hs256 in production', () => {
    expect(() => loadPlatformConfig('x', {}, { NODE_ENV: 'development' })).toThrow('JWT_SECRET is required when AUTH_MODE=hs256');
    expect(() => loadPlatformConfig('x', {}, { NODE_ENV: 'development', JWT_SECRET: 'short' })).toThrow('JWT_SECRET must be at least 32 characters long');
    expect(() => loadPlatformConfig('x', {}, { ...ok, NODE_ENV: 'production' })).toThrow('AUTH_MODE must be jwks in production');
    expect(() => loadPlatformConfig('x', {}, { AUTH_MODE: 'jwks' })).toThrow(/OIDC_ISSUER is required[\s\S]*OIDC_JWKS_URL is required[\s\S]*OIDC_AUDIENCE is required/);
  });

  it('treats a missing NODE_ENV as production: no HS256 development tokens unless development is asked for', () => {
    expect(() => loadPlatformConfig('x', {}, { JWT_SECRET: 'a'.repeat(32) })).toThrow('AUTH_MODE must be jwks in production');
    expect(loadPlatformConfig('x', {}, { ...jwks, SUBGRAPH_SECRET: 's'.repeat(32) }).NODE_ENV).toBe('production');
  });

  it('in JWKS mode requires the audience and an https key set URL (plain http only to this machine outside production)', () => {
    const { OIDC_AUDIENCE: _, ...noAudience } = jwks;
    expect(() => loadPlatformConfig('x', {}, { ...noAudience, NODE_ENV: 'test' })).toThrow('OIDC_AUDIENCE is required when AUTH_MODE=jwks');
    expect(() => loadPlatformConfig('x', {}, { ...jwks, NODE_ENV: 'test', OIDC_JWKS_URL: 'http://id.example.test/jwks' })).toThrow('OIDC_JWKS_URL must be an https URL (got http://id.example.test)');
    expect(loadPlatformConfig('x', {}, { ...jwks, NODE_ENV: 'test', OIDC_JWKS_URL: 'http://127.0.0.1:8080/jwks' }).OIDC_JWKS_URL).toBe('http://127.0.0.1:8080/jwks');
    expect(() => loadPlatformConfig('x', {}, { ...jwks, SUBGRAPH_SECRET: 's'.repeat(32), OIDC_JWKS_URL: 'http://127.0.0.1:8080/jwks' })).toThrow('OIDC_JWKS_URL must be an https URL (got http://127.0.0.1:8080)');
  });

  it('bounds the token lifetime it accepts (a day by default)', () => {
    expect(loadPlatformConfig('x', {}, ok).JWT_MAX_LIFETIME_SECONDS).toBe(86400);
    expect(() => loadPlatformConfig('x', {}, { ...ok, JWT_MAX_LIFETIME_SECONDS: '0' })).toThrow('JWT_MAX_LIFETIME_SECONDS must be at least 60');
  });

  it('requires the subgraph secret in production and refuses a short one', () => {
    const prod = { ...jwks, NODE_ENV: 'production' };
    expect(() => loadPlatformConfig('x', {}, prod)).toThrow('SUBGRAPH_SECRET is required in production');
    expect(() => loadPlatformConfig('x', {}, { ...prod, SUBGRAPH_SECRET: 'short' })).toThrow('SUBGRAPH_SECRET must be at least 32 characters long');
    expect(loadPlatformConfig('x', {}, { ...prod, SUBGRAPH_SECRET: 's'.repeat(32) }).SUBGRAPH_SECRET).toBe('s'.repeat(32));
    expect(loadPlatformConfig('x', {}, ok).SUBGRAPH_SECRET).toBeUndefined();
  });

  it('does not print the password of a malformed database URL', () => {
    const attempt = () => loadPlatformConfig('x', {}, { ...ok, DATABASE_URL: 'postgres//user:hunter2@db host' });
    expect(attempt).toThrow('DATABASE_URL must be a URL (got "postgres//user:***@db host")');
  });

  it('rejects a NATS namespace that would break subject names', () => {
    expect(() => loadPlatformConfig('x', {}, { ...ok, NATS_NAMESPACE: 'a.b' })).toThrow('NATS_NAMESPACE must contain only letters');
  });
});

describe('cron expressions in configuration', () => {
  it('accepts five numeric fields with ranges, lists and steps', () => {
    for (const expr of ['5 0 1 * *', '*/15 * * * *', '0 9-18 * * 1-5', '17 0,12 1 1-12/3 0']) expect(cronProblem(expr)).toBeNull();
  });

  it('names what is wrong with a bad one, at boot', () => {
    expect(cronProblem('0 * * *')).toMatch(/must have 5 fields/);
    expect(cronProblem('60 * * * *')).toMatch(/minute "60" is outside 0-59/);
    expect(cronProblem('0 0 0 * *')).toMatch(/day of month "0" is outside 1-31/);
    expect(cronProblem('0 5-1 * * *')).toMatch(/backwards range/);
    expect(cronProblem('0 * * JAN *')).toMatch(/month "JAN" is not a number/);
    expect(() => loadPlatformConfig('svc', {}, { JWT_SECRET: 'x'.repeat(32), OUTBOX_PRUNE_CRON: 'hourly' })).toThrow(/OUTBOX_PRUNE_CRON is not a cron expression/);
  });
});
