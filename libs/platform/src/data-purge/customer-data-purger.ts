import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CustomerDataPurgeDue, CustomerDataPurged, PurgedTable as PurgedCount } from '@kanshi/events';
import { ConsumerHost, Outbox, PermanentEventError } from '@kanshi/messaging';
import { createLogger } from '@kanshi/observability';
import type { PlatformOptions } from '../platform.module';
import { PLATFORM_OPTIONS } from '../platform-tokens';
import { CustomerDataCatalogue } from './customer-data';

const log = createLogger('CustomerDataPurger');

// Deletes a customer's rows from every table of the service's catalogue when contracts says its
// retention has passed, and reports the counts per table (audit.customer-data.purged.v1) in the
// same transaction. The consumer's inbox makes a redelivered event purge nothing twice and report
// nothing twice.
export async function purgeCustomerData(em: EntityManager, catalogue: CustomerDataCatalogue, customerId: string): Promise<PurgedCount[]> {
  const tables: PurgedCount[] = [];
  for (const t of catalogue.purge) {
    const [schema, table] = t.table.split('.');
    const rows: { n: number }[] = await em.query(`WITH d AS (DELETE FROM "${schema}"."${table}" WHERE ${t.where ?? 'customer_id = $1'} RETURNING 1) SELECT count(*)::int AS n FROM d`, [customerId]);
    tables.push({ table: t.table, rows: rows[0].n });
  }
  return tables;
}

@Injectable()
export class CustomerDataPurger implements OnModuleInit {
  constructor(
    @Inject(PLATFORM_OPTIONS) private readonly opts: PlatformOptions,
    private readonly host: ConsumerHost,
    private readonly outbox: Outbox,
  ) {}

  onModuleInit(): void {
    const catalogue = this.opts.customerData;
    this.host.register({
      durable: `${this.opts.service}-customer-data-purge`,
      event: CustomerDataPurgeDue,
      handle: async (event, { em }) => {
        const customerId = event.body.customerId;
        if (event.customerId && event.customerId !== customerId) throw new PermanentEventError(`purge event for ${event.customerId} names customer ${customerId}`);
        const tables = await purgeCustomerData(em, catalogue, customerId);
        await this.outbox.add(em, CustomerDataPurged, { purgeEventId: event.eventId, customerId, service: this.opts.service, tables, purgedAt: new Date().toISOString() }, { customerId });
        log.info({ customerId, contractId: event.body.contractId, rows: tables.reduce((s, t) => s + t.rows, 0) }, "customer's data purged");
      },
    });
  }
}
