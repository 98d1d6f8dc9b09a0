import { definePermissions, ROLES, Role } from '@kanshi/auth';

// Who may set up a customer's sensors: provider admins and engineers, the customer's partner
// and the customer's admin.
const SENSOR_MANAGERS: readonly Role[] = ['provider_admin', 'engineer', 'partner_admin', 'customer_admin'];
// Binding a source address or mail sender to a sensor decides whose data arriving traffic is:
// a provider decision. provider_admin decides; engineers, partners and customer admins request
// (engineers configure devices but do not decide tenancy, so one account cannot both ask and grant).
const ADDRESS_BINDING_DECIDERS: readonly Role[] = ['provider_admin'];
// Raw logs and the quarantine are the SOC's working material: provider staff but sales.
// Alerts: everybody who works on or owns them; sales sells, it does not read customers' alerts.
const ALERT_READERS: readonly Role[] = ['provider_admin', 'analyst', 'engineer', 'partner_admin', 'customer_admin', 'customer_viewer'];
const SOC_STAFF: readonly Role[] = ['provider_admin', 'analyst', 'engineer'];

// Every action of the ingestion domain and the roles that may take it; the tenant scope then
// decides whose data.
export const IngestionPermissions = definePermissions({
  readSensors: { action: 'read sensors', roles: ROLES },
  registerSensors: { action: 'register sensors', roles: SENSOR_MANAGERS },
  rotateIngestTokens: { action: 'rotate ingest tokens', roles: SENSOR_MANAGERS },
  revokeSensors: { action: 'revoke sensors', roles: SENSOR_MANAGERS },
  changeSensorSettings: { action: 'change sensor settings', roles: SENSOR_MANAGERS },
  bindSensorAddresses: { action: 'bind source addresses and mail senders to sensors', roles: ADDRESS_BINDING_DECIDERS },
  requestAddressBindings: { action: 'request a source address or mail sender binding', roles: SENSOR_MANAGERS },
  readAddressBindingRequests: { action: 'read address binding requests', roles: SENSOR_MANAGERS },
  readAlerts: { action: 'read alerts', roles: ALERT_READERS },
  searchRawEvents: { action: 'search raw events', roles: SOC_STAFF },
  readQuarantine: { action: 'read the quarantine', roles: SOC_STAFF },
  replayQuarantine: { action: 'replay quarantined events', roles: SOC_STAFF },
});
