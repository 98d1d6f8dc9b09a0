import { Injectable } from '@nestjs/common';
import { EdrProductCode } from '@kanshi/events';
import { createLogger } from '@kanshi/observability';

export type ConnectorConfiguredListener = (c: { customerId: string; product: EdrProductCode }) => Promise<void>;

const log = createLogger('connector-events');

// In-process hooks on the connectors' life: a connector just configured (created, or its URL or
// credentials replaced) is synced and pulled at once rather than at the next period. The
// inventory and detection-pull modules register here, so the connectors module knows neither.
@Injectable()
export class ConnectorEvents {
  private readonly configuredListeners: ConnectorConfiguredListener[] = [];

  // `enabled`: EDR_REFRESH_ON_CONFIGURE (off: a configured connector waits for the periodic jobs).
  constructor(private readonly enabled = true) {}

  onConfigured(listener: ConnectorConfiguredListener): void {
    this.configuredListeners.push(listener);
  }

  // After the configuration is committed. A listener's failure is logged: the periodic jobs still
  // pick the connector up.
  async configured(customerId: string, product: EdrProductCode): Promise<void> {
    if (!this.enabled) return;
    for (const l of this.configuredListeners) {
      await l({ customerId, product }).catch((err: unknown) => log.warn({ customerId, product, err }, 'a connector-configured listener failed; the periodic job will catch up'));
    }
  }
}
