// Detections each adapter pulls from its local console, through ingestion's real parser for that
// product: every record must parse as an alert of the right host (what the detection-pull hand-off
// to ingestion relies on).
import { randomUUID } from 'node:crypto';
import { FakeEdrServer } from '@kanshi/testing';
import { ConnectorRuntime } from '../../services/endpoint-response/src/connectors/connector-runtime';
import { DEFAULT_CONNECTOR_SETTINGS } from '../../services/endpoint-response/src/connectors/connector-settings';
import { ADAPTERS, credentialsOf } from '../../services/endpoint-response/src/connectors/edr-adapters.harness';
import { parseRecord } from '../../services/ingestion/src/parsers/parse';

describe.each(ADAPTERS)('$label detections pulled by the adapter', (h) => {
  let server: FakeEdrServer;
  afterEach(() => server?.stop());

  it('parse in ingestion as alerts of the host, with the vendor id', async () => {
    server = h.server({});
    await server.start();
    const tenant = server.addTenant({ hosts: [{ hostName: 'PC-ACCT-011', ips: ['10.20.31.11'] }] });
    const agentId = [...tenant.hosts.keys()][0];
    h.addDetection(server, tenant, agentId, new Date(Date.now() - 60_000));
    const c = h.connector(new ConnectorRuntime(DEFAULT_CONNECTOR_SETTINGS), randomUUID(), credentialsOf(h, server, tenant));
    const { detections } = await c.pullDetections(null);
    expect(detections).toHaveLength(1);
    const parsed = parseRecord(h.product, JSON.stringify(detections[0].record), { timeZone: 'Asia/Tokyo', receivedAt: new Date() });
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.events).toHaveLength(1);
    const [event] = parsed.events;
    expect(event.kind).toBe('alert');
    expect(event.vendorEventId).toBe(detections[0].externalId);
    const ecs = event.ecs as Record<string, unknown>;
    const hostId = (ecs.host as Record<string, unknown> | undefined)?.id;
    expect(hostId === agentId || JSON.stringify(ecs).includes(agentId)).toBe(true);
  });
});
