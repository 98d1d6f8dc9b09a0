// One managed endpoint of a customer as the incident service knows it (response.endpoint.changed.v1).
export interface EndpointView {
  endpointId: string;
  customerId: string;
  version: number;
  hostName: string;
  ips: string[];
  agentId: string | null;
  isolated: boolean;
  retired: boolean;
}

// What a verdict says about an endpoint: any of these may identify it. endpointId is set when
// analysis resolved the alert against the same inventory (issue 12): it then names the endpoint alone.
export interface EndpointHint {
  hostName?: string | null;
  ip?: string | null;
  agentId?: string | null;
  endpointId?: string | null;
}
