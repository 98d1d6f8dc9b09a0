// A connector's health: UNKNOWN until first tested or used; UNHEALTHY after the vendor refused its
// credentials (with the vendor's message), HEALTHY after a successful test or call.
export const CONNECTOR_HEALTHS = ['UNKNOWN', 'HEALTHY', 'UNHEALTHY'] as const;
export type ConnectorHealthValue = (typeof CONNECTOR_HEALTHS)[number];
