import { defineCustomerData } from '@kanshi/platform';

// What analysis deletes of a customer when its contract's retention has passed. Group members,
// suppressed alerts and IOC indicators go with their group, suppression and list (ON DELETE CASCADE).
export const ANALYSIS_CUSTOMER_DATA = defineCustomerData({
  purge: [
    { table: 'analysis.suppressed_alert' },
    { table: 'analysis.suppression' },
    { table: 'analysis.alert_group' },
    { table: 'analysis.verdict' },
    { table: 'analysis.correlation_entry' },
    { table: 'analysis.correlation_value' },
    { table: 'analysis.detection_rule_customer' },
    { table: 'analysis.asset_binding' },
    { table: 'analysis.critical_asset' },
    { table: 'analysis.inventory_endpoint' },
    { table: 'analysis.ioc_list' },
    { table: 'analysis.tenant_customer' },
  ],
  keep: {},
});
