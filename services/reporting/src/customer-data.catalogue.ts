import { defineCustomerData } from '@kanshi/platform';

// What reporting deletes of a customer when its contract's retention has passed. Quote and
// invoice PDFs are billing records the provider must keep (7 years under Japanese tax law): their
// reports, billing documents and the directory entry that scopes them stay. The PDF rows of the
// deleted reports go with them (ON DELETE CASCADE); the objects in S3 storage are not deleted here.
export const REPORTING_CUSTOMER_DATA = defineCustomerData({
  purge: [
    { table: 'reporting.analysis_report_request' },
    { table: 'reporting.render_failure' },
    { table: 'reporting.report', where: `customer_id = $1 AND kind NOT IN ('QUOTE', 'INVOICE')` },
    { table: 'reporting.monthly_report_run' },
    { table: 'reporting.incident_snapshot' },
    { table: 'reporting.isolation_outcome' },
    { table: 'reporting.maintenance_window' },
    { table: 'reporting.work_order' },
    { table: 'reporting.verdict_fact' },
    { table: 'reporting.sensor_liveness_change' },
    { table: 'reporting.sensor_version' },
    { table: 'reporting.sensor' },
    { table: 'reporting.customer_contract' },
  ],
  keep: {
    'reporting.billing_document': 'quote and invoice documents: billing records kept 7 years',
    'reporting.tenant_customer': 'scopes the billing documents kept (a partner sees its customers’)',
  },
});
