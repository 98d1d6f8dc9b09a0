import { DataSource } from 'typeorm';
import { AccessError, TenantScope } from '@kanshi/auth';
import { EdrProductCode } from '@kanshi/events';
import { fakeTenantDirectory, principalAs, TENANTS } from '@kanshi/testing';
import { ConfigureEdrConnectorInput } from './configure-edr-connector.input';
import { ConnectorEvents } from './connector-events';
import { ConnectorRuntime } from './connector-runtime';
import { DEFAULT_CONNECTOR_SETTINGS } from './connector-settings';
import { ConnectorError } from './connectors.errors';
import { ConnectorsRepository, ConnectorWrite } from './connectors.repository';
import { ConnectorsService } from './connectors.service';
import { CredentialsCipher } from './credentials-cipher';
import { EdrConnectorEntity } from './edr-connector.entity';
import { EdrConnectorFactory, secretContext } from './edr-connector.factory';
import { VendorError } from './vendor-error';

const { P1, C1 } = TENANTS;
const as = principalAs;

function setup(verify: () => Promise<void> = async () => undefined) {
  const rows: EdrConnectorEntity[] = [];
  const find = (customerId: string, product: EdrProductCode) => rows.find((r) => r.customerId === customerId && r.product === product) ?? null;
  const repo = {
    visibleFor: jest.fn(async (_scope: TenantScope, customerId: string) => rows.filter((r) => r.customerId === customerId)),
    find: jest.fn(async (customerId: string, product: EdrProductCode) => find(customerId, product)),
    findForUpdate: jest.fn(async (_em: unknown, customerId: string, product: EdrProductCode) => find(customerId, product)),
    upsert: jest.fn(async (_em: unknown, w: ConnectorWrite, existing: EdrConnectorEntity | null) => {
      if (existing) {
        Object.assign(existing, { ...w, secretCiphertext: w.secretCiphertext ?? existing.secretCiphertext });
        return existing;
      }
      const row = { id: `k${rows.length + 1}`, health: 'UNKNOWN', lastError: null, checkedAt: null, ...w } as EdrConnectorEntity;
      rows.push(row);
      return row;
    }),
  };
  const cipher = new CredentialsCipher(Buffer.alloc(32, 7));
  const health: [string, string, string | null][] = [];
  const factory = {
    forCustomer: jest.fn(async () => ({ verify })),
    markHealthy: jest.fn(async (c: string, p: string) => {
      health.push([c, p, null]);
      find(c, p as EdrProductCode)!.health = 'HEALTHY';
    }),
    markUnhealthy: jest.fn(async (c: string, p: string, m: string) => {
      health.push([c, p, m]);
      find(c, p as EdrProductCode)!.health = 'UNHEALTHY';
    }),
  };
  const ds = { transaction: (work: (em: unknown) => Promise<unknown>) => work({}) };
  const runtime = new ConnectorRuntime(DEFAULT_CONNECTOR_SETTINGS);
  const events = new ConnectorEvents();
  const configured: string[] = [];
  events.onConfigured(async (c) => {
    configured.push(`${c.customerId}:${c.product}`);
  });
  const sut = new ConnectorsService(ds as unknown as DataSource, repo as unknown as ConnectorsRepository, fakeTenantDirectory(), cipher, factory as unknown as EdrConnectorFactory, runtime, events);
  return { sut, ctx: { repo, rows, cipher, factory, health, configured } };
}

const input = (over: Partial<ConfigureEdrConnectorInput> = {}): ConfigureEdrConnectorInput => ({
  customerId: C1,
  product: 'CROWDSTRIKE_FALCON',
  baseUrl: 'https://api.crowdstrike.com/',
  clientId: 'client-1',
  secret: 'the-client-secret',
  ...over,
});

describe('ConnectorsService.configure', () => {
  it('stores the secret encrypted for this customer and product, and the URL without a trailing slash', async () => {
    const { sut, ctx } = setup();
    const row = await sut.configure(as('engineer'), input({ orgKey: 'IGNORED' }));
    expect(row).toMatchObject({ customerId: C1, product: 'CROWDSTRIKE_FALCON', baseUrl: 'https://api.crowdstrike.com', clientId: 'client-1', orgKey: null, sensorId: null });
    expect(row.secretCiphertext).not.toContain('the-client-secret');
    expect(ctx.cipher.decrypt(row.secretCiphertext, secretContext(C1, 'CROWDSTRIKE_FALCON'))).toBe('the-client-secret');
    // its inventory sync and detection pull are asked for at once
    expect(ctx.configured).toEqual([`${C1}:CROWDSTRIKE_FALCON`]);
  });

  it('keeps the stored secret when an update leaves it out', async () => {
    const { sut, ctx } = setup();
    const first = await sut.configure(as('engineer'), input());
    const kept = first.secretCiphertext;
    await sut.configure(as('provider_admin'), input({ secret: undefined, clientId: 'client-2' }));
    expect(ctx.rows).toHaveLength(1);
    expect(ctx.rows[0]).toMatchObject({ clientId: 'client-2', secretCiphertext: kept });
  });

  it.each([
    ['a new connector without a secret', input({ secret: undefined }), 'SECRET_REQUIRED', 'secret'],
    ['Carbon Black without an org key', input({ product: 'CARBON_BLACK' }), 'ORG_KEY_REQUIRED', 'orgKey'],
  ] as const)('refuses %s, naming the field, and writes nothing', async (_, i, code, field) => {
    const { sut, ctx } = setup();
    const err = await sut.configure(as('engineer'), i).catch((e: unknown) => e);
    expect(ConnectorError.is(err, code)).toBe(true);
    expect(err).toMatchObject({ kind: 'BAD_USER_INPUT', field });
    expect(ctx.rows).toEqual([]);
    expect(ctx.configured).toEqual([]);
  });

  it.each(['analyst', 'sales', 'partner_admin', 'customer_admin', 'customer_viewer'] as const)('refuses %s and writes nothing', async (role) => {
    const { sut, ctx } = setup();
    await expect(sut.configure(as(role, { partnerId: P1, customerId: C1 }), input())).rejects.toMatchObject({ kind: 'FORBIDDEN', message: `role ${role} may not configure EDR connectors` });
    expect(ctx.repo.upsert).not.toHaveBeenCalled();
  });

  it('answers an unknown customer with CUSTOMER_NOT_FOUND on customerId', async () => {
    const { sut, ctx } = setup();
    const err = await sut.configure(as('engineer'), input({ customerId: '00000000-0000-4000-8000-0000000000ff' })).catch((e: unknown) => e);
    expect(AccessError.is(err, 'CUSTOMER_NOT_FOUND')).toBe(true);
    expect(ctx.repo.upsert).not.toHaveBeenCalled();
  });
});

describe('ConnectorsService.list and test', () => {
  it('lets analysts read but not test; customers and partners neither', async () => {
    const { sut } = setup();
    await sut.configure(as('engineer'), input());
    expect(await sut.list(as('analyst'), C1)).toHaveLength(1);
    await expect(sut.test(as('analyst'), C1, 'CROWDSTRIKE_FALCON')).rejects.toMatchObject({ kind: 'FORBIDDEN' });
    await expect(sut.list(as('customer_admin', { customerId: C1 }), C1)).rejects.toMatchObject({ kind: 'FORBIDDEN', message: 'role customer_admin may not read EDR connectors' });
    await expect(sut.list(as('partner_admin', { partnerId: P1 }), C1)).rejects.toMatchObject({ kind: 'FORBIDDEN' });
  });

  it('reports a successful test as HEALTHY', async () => {
    const { sut, ctx } = setup();
    await sut.configure(as('engineer'), input());
    expect(await sut.test(as('engineer'), C1, 'CROWDSTRIKE_FALCON')).toMatchObject({ ok: true, health: 'HEALTHY', message: null });
    expect(ctx.health).toEqual([[C1, 'CROWDSTRIKE_FALCON', null]]);
  });

  it('marks refused credentials UNHEALTHY with the vendor’s message; an outage leaves the health alone', async () => {
    let failure = new VendorError('AUTH', 'CrowdStrike refused the credentials: Failed to issue access token - Not Authorized', 403);
    const { sut, ctx } = setup(async () => {
      throw failure;
    });
    await sut.configure(as('engineer'), input());
    expect(await sut.test(as('engineer'), C1, 'CROWDSTRIKE_FALCON')).toMatchObject({ ok: false, health: 'UNHEALTHY', message: `AUTH: ${failure.message}` });
    expect(ctx.health).toEqual([[C1, 'CROWDSTRIKE_FALCON', failure.message]]);
    failure = new VendorError('TIMEOUT', 'CrowdStrike did not answer within 10000 ms (4 attempts)');
    expect(await sut.test(as('engineer'), C1, 'CROWDSTRIKE_FALCON')).toMatchObject({ ok: false, health: 'UNHEALTHY', message: `TIMEOUT: ${failure.message}` });
    expect(ctx.health).toHaveLength(1);
  });

  it('answers a product without a connector with CONNECTOR_NOT_FOUND on product', async () => {
    const { sut } = setup();
    const err = await sut.test(as('engineer'), C1, 'CYBEREASON').catch((e: unknown) => e);
    expect(ConnectorError.is(err, 'CONNECTOR_NOT_FOUND')).toBe(true);
    expect(err).toMatchObject({ kind: 'NOT_FOUND', field: 'product' });
  });
});
