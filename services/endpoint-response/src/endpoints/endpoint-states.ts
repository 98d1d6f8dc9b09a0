// How an endpoint entered the inventory: registered by hand, reported by the customer's EDR, or
// named by an alert (no agent known until an EDR sync reports it).
export const ENDPOINT_SOURCES = ['MANUAL', 'EDR', 'ALERT'] as const;
export type EndpointSourceValue = (typeof ENDPOINT_SOURCES)[number];

// The EDR's containment of an endpoint as Kanshi drives it: one vendor action at a time per
// endpoint, whatever number of isolations ask for it.
export const CONTAINMENTS = ['NORMAL', 'CONTAINING', 'CONTAINED', 'RELEASING'] as const;
export type ContainmentValue = (typeof CONTAINMENTS)[number];
