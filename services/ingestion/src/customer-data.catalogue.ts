import { defineCustomerData } from '@kanshi/platform';

const SENSORS = `sensor_id IN (SELECT id FROM ingestion.sensor WHERE customer_id = $1)`;

// What ingestion deletes of a customer when its contract's retention has passed (children first).
export const INGESTION_CUSTOMER_DATA = defineCustomerData({
  purge: [
    { table: 'ingestion.log_backlog', where: SENSORS },
    { table: 'ingestion.intake_request' },
    { table: 'ingestion.address_binding_request' },
    { table: 'ingestion.quarantine' },
    { table: 'ingestion.alert' },
    { table: 'ingestion.raw_event' },
    { table: 'ingestion.sensor' },
    { table: 'ingestion.customer_contract' },
    { table: 'ingestion.tenant_customer' },
  ],
  keep: {},
});
