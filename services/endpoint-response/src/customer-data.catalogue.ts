import { defineCustomerData } from '@kanshi/platform';

// What endpoint-response deletes of a customer when its contract's retention has passed
// (children first; the EDR credentials go with the connector rows).
export const ENDPOINT_RESPONSE_CUSTOMER_DATA = defineCustomerData({
  purge: [
    { table: 'endpoint_response.isolation_log', where: `isolation_id IN (SELECT id FROM endpoint_response.isolation WHERE customer_id = $1)` },
    { table: 'endpoint_response.isolation' },
    { table: 'endpoint_response.detection_pull_cursor' },
    { table: 'endpoint_response.endpoint' },
    { table: 'endpoint_response.edr_connector' },
    { table: 'endpoint_response.fireeye_appliance' },
    { table: 'endpoint_response.customer_contract' },
    { table: 'endpoint_response.tenant_customer' },
  ],
  keep: {},
});
