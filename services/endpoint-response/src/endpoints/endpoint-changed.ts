import { EndpointChangedBody } from '@kanshi/events';
import { EndpointEntity } from './endpoint.entity';

// The inventory row as response.endpoint.changed.v1 carries it (the customer is the envelope's).
export function endpointChangedBody(e: EndpointEntity): EndpointChangedBody {
  return {
    endpointId: e.id,
    version: e.version,
    hostName: e.hostName,
    ips: e.ipAddresses.slice(0, 64),
    os: e.os,
    edrProduct: e.edrProduct,
    agentId: e.edrAgentId,
    lastSeenAt: e.lastSeenAt ? e.lastSeenAt.toISOString() : null,
    isolated: e.isolated,
    retired: e.retired,
  };
}
