// Builds a customer's connector from its stored, decrypted credentials, and keeps the connector's
// health: what the isolation, inventory and detection-pull modules use (never a vendor URL or a
// secret of their own).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectorUnhealthy, EdrProductCode } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { createLogger } from '@kanshi/observability';
import { CarbonBlackConnector } from './carbon-black.connector';
import { ConnectorRuntime } from './connector-runtime';
import { ConnectorsRepository } from './connectors.repository';
import { CredentialsCipher } from './credentials-cipher';
import { CrowdStrikeConnector } from './crowdstrike.connector';
import { CybereasonConnector } from './cybereason.connector';
import { EdrConnector, EdrConnectorOptions, EdrCredentials } from './edr-connector';
import { EdrConnectorEntity } from './edr-connector.entity';
import { FireEyeHxConnector } from './fireeye-hx.connector';
import { VendorError } from './vendor-error';

// Every adapter can also check its credentials (testEdrConnector).
export type VerifiableEdrConnector = EdrConnector & { verify(): Promise<void> };

// What the inventory sync and the detection pull iterate over.
export interface ConfiguredConnector {
  customerId: string;
  product: EdrProductCode;
  sensorId: string | null;
  health: EdrConnectorEntity['health'];
}

const log = createLogger('edr-connectors');

// The additional authenticated data of a connector's secret.
export function secretContext(customerId: string, product: EdrProductCode): string {
  return `edr-connector|${customerId}|${product}`;
}

@Injectable()
export class EdrConnectorFactory {
  constructor(
    private readonly repo: ConnectorsRepository,
    private readonly cipher: CredentialsCipher,
    private readonly runtime: ConnectorRuntime,
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
  ) {}

  // The customer's connector for `product`; VendorError NOT_CONFIGURED when there is none.
  async forCustomer(customerId: string, product: EdrProductCode, opts: EdrConnectorOptions = {}): Promise<VerifiableEdrConnector> {
    const row = await this.repo.find(customerId, product);
    if (!row) throw new VendorError('NOT_CONFIGURED', `no ${product} connector is configured for customer ${customerId}`);
    const creds: EdrCredentials = { product, baseUrl: row.baseUrl, clientId: row.clientId, secret: this.cipher.decrypt(row.secretCiphertext, secretContext(customerId, product)), orgKey: row.orgKey ?? undefined };
    return buildConnector(this.runtime, customerId, creds, opts);
  }

  // Every configured connector (of one product), by customer.
  async configured(product?: EdrProductCode): Promise<ConfiguredConnector[]> {
    return (await this.repo.all(product)).map((r) => ({ customerId: r.customerId, product: r.product, sensorId: r.sensorId, health: r.health }));
  }

  // The vendor refused the credentials (VendorError AUTH): record its message for provider staff.
  async markUnhealthy(customerId: string, product: EdrProductCode, message: string): Promise<void> {
    const at = new Date();
    const lastError = message.slice(0, 1000);
    const row = await this.ds.transaction(async (em) => {
      const r = await this.repo.turnUnhealthy(em, customerId, product, lastError, at);
      // Provider staff are alerted once per turn (response.connector.unhealthy.v1 -> incident's staff mail).
      if (r && r.previous !== 'UNHEALTHY') {
        await this.outbox.add(em, ConnectorUnhealthy, { kind: 'EDR_CONNECTOR', connectorId: r.id, product, baseUrl: r.baseUrl, message: lastError, at: at.toISOString() }, { customerId });
      }
      return r;
    });
    if (row) log.warn({ customerId, product, reason: message.slice(0, 300), alerted: row.previous !== 'UNHEALTHY' }, 'EDR connector marked unhealthy');
  }

  async markHealthy(customerId: string, product: EdrProductCode): Promise<void> {
    await this.repo.setHealth(customerId, product, 'HEALTHY', null, new Date());
  }
}

export function buildConnector(runtime: ConnectorRuntime, customerId: string, creds: EdrCredentials, opts: EdrConnectorOptions = {}): VerifiableEdrConnector {
  switch (creds.product) {
    case 'CROWDSTRIKE_FALCON':
      return new CrowdStrikeConnector(runtime, customerId, creds, opts);
    case 'CARBON_BLACK':
      return new CarbonBlackConnector(runtime, customerId, creds, opts);
    case 'CYBEREASON':
      return new CybereasonConnector(runtime, customerId, creds, opts);
    case 'FIREEYE_HX':
      return new FireEyeHxConnector(runtime, customerId, creds, opts);
  }
}
