import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { EdrProductCode } from '@kanshi/events';
import { TenantDirectory } from '@kanshi/platform';
import { ConfigureEdrConnectorInput } from './configure-edr-connector.input';
import { ConnectorEvents } from './connector-events';
import { ConnectorRuntime } from './connector-runtime';
import { ConnectorError } from './connectors.errors';
import { ConnectorsPermissions } from './connectors.permissions';
import { ConnectorsRepository } from './connectors.repository';
import { CredentialsCipher } from './credentials-cipher';
import { EdrConnectorEntity } from './edr-connector.entity';
import { EdrConnectorFactory, secretContext } from './edr-connector.factory';
import { EdrConnectorTestObject } from './edr-connector-test.object';
import { sessionPrefix } from './vendor-http';
import { VendorError } from './vendor-error';

@Injectable()
export class ConnectorsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ConnectorsRepository,
    private readonly directory: TenantDirectory,
    private readonly cipher: CredentialsCipher,
    private readonly factory: EdrConnectorFactory,
    private readonly runtime: ConnectorRuntime,
    private readonly events: ConnectorEvents,
  ) {}

  // A customer's connectors, by product; another tenant's customer reads as an empty list.
  async list(principal: Principal, customerId: string): Promise<EdrConnectorEntity[]> {
    authorize(principal, ConnectorsPermissions.readConnectors);
    return this.repo.visibleFor(scopeOf(principal), customerId);
  }

  // Creates or replaces the customer's connector for the product; the secret is encrypted before
  // it reaches the database and never returned.
  async configure(principal: Principal, input: ConfigureEdrConnectorInput): Promise<EdrConnectorEntity> {
    authorize(principal, ConnectorsPermissions.configureConnectors);
    await this.directory.visibleCustomerOrThrow(principal, input.customerId);
    if (input.product === 'CARBON_BLACK' && !input.orgKey) throw new ConnectorError('ORG_KEY_REQUIRED', 'a Carbon Black connector needs its org key', 'orgKey');
    const saved = await this.ds.transaction(async (em) => {
      const existing = await this.repo.findForUpdate(em, input.customerId, input.product);
      if (!existing && !input.secret) throw new ConnectorError('SECRET_REQUIRED', `a new ${input.product} connector needs its secret`, 'secret');
      return this.repo.upsert(
        em,
        {
          customerId: input.customerId,
          product: input.product,
          baseUrl: input.baseUrl.replace(/\/+$/, ''),
          clientId: input.clientId,
          orgKey: input.product === 'CARBON_BLACK' ? (input.orgKey ?? null) : null,
          sensorId: input.sensorId ?? null,
          secretCiphertext: input.secret ? this.cipher.encrypt(input.secret, secretContext(input.customerId, input.product)) : undefined,
        },
        existing,
      );
    });
    // Sessions of the old credential are not reused.
    this.runtime.forgetSessions(sessionPrefix(input.product, input.customerId));
    // Its inventory is synced and its detections pulled now, not at the next period.
    await this.events.configured(input.customerId, input.product);
    return saved;
  }

  // Logs in and reads one host page with the stored credentials; records the health.
  async test(principal: Principal, customerId: string, product: EdrProductCode): Promise<EdrConnectorTestObject> {
    authorize(principal, ConnectorsPermissions.testConnectors);
    await this.directory.visibleCustomerOrThrow(principal, customerId);
    if (!(await this.repo.find(customerId, product))) throw new ConnectorError('CONNECTOR_NOT_FOUND', `no ${product} connector is configured for customer ${customerId}`, 'product');
    const started = Date.now();
    const connector = await this.factory.forCustomer(customerId, product);
    try {
      await connector.verify();
      await this.factory.markHealthy(customerId, product);
      return { ok: true, health: 'HEALTHY', message: null, durationMs: Date.now() - started, checkedAt: new Date() };
    } catch (err) {
      if (!(err instanceof VendorError)) throw err;
      if (err.kind === 'AUTH') await this.factory.markUnhealthy(customerId, product, err.message);
      const row = await this.repo.find(customerId, product);
      return { ok: false, health: row?.health ?? 'UNKNOWN', message: `${err.kind}: ${err.message}`, durationMs: Date.now() - started, checkedAt: new Date() };
    }
  }
}
