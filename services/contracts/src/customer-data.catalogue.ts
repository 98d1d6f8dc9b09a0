import { defineCustomerData } from '@kanshi/platform';

// What contracts deletes of a customer when its contract's retention has passed. The commercial
// record (customer, quotes, contracts, terms accepted, invoices and the endpoint counts they were
// billed on) is kept: the provider must keep it 7 years under Japanese tax law.
export const CONTRACTS_CUSTOMER_DATA = defineCustomerData({
  purge: [{ table: 'contracts.customer_sensor' }, { table: 'contracts.tenant_customer' }],
  keep: {
    'contracts.contract': 'the contract: commercial record kept 7 years',
    'contracts.quote': 'quotes: commercial record kept 7 years',
    'contracts.terms_acceptance': 'who accepted which terms: commercial record kept 7 years',
    'contracts.invoice': 'invoices: billing record kept 7 years',
    'contracts.invoice_line': 'invoice lines: billing record kept 7 years',
    'contracts.endpoint_daily_count': 'the endpoint counts invoices were billed on: billing record kept 7 years',
    'contracts.data_purge_request': 'the record that the purge was asked for',
    'contracts.data_purge': 'the record of what each service deleted',
  },
});
