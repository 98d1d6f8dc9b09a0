import type { IngestionConfig } from '../config';
import type { EntitlementsRepository } from '../entitlements/entitlements.repository';
import { SensorDirectory } from './sensor-directory.service';
import type { IntakeSensorRow, SensorsRepository } from './sensors.repository';

const FIREWALL: IntakeSensorRow = {
  id: '0b8f2a52-4d0c-4b8e-9f51-4d3c2f1a0001',
  customer_id: 'customer-a',
  product: 'FORTIGATE',
  time_zone: 'Asia/Tokyo',
  token_hash: '00',
  previous_token_hash: null,
  previous_token_valid_until: null,
  revoked_at: null,
  accept_udp: true,
};

function setup() {
  const rows = new Map<string, IntakeSensorRow>([['192.0.2.10', FIREWALL]]);
  const queries: string[] = [];
  const repo = {
    intakeBySourceIp: async (ip: string) => {
      queries.push(ip);
      return rows.get(ip) ?? null;
    },
  } as unknown as SensorsRepository;
  const entitlements = { forCustomer: async () => ({ retentionMonths: 6 }) } as unknown as EntitlementsRepository;
  const sut = new SensorDirectory(repo, entitlements, { DEFAULT_LOG_RETENTION_MONTHS: 3 } as IngestionConfig);
  return { sut, rows, queries };
}

// The one sensor cache of intake: the syslog listener peeks into it for every datagram.
describe('SensorDirectory by source address', () => {
  it('answers from its cache, also synchronously once the answer is known', async () => {
    const { sut, queries } = setup();
    expect(sut.peekBySourceIp('192.0.2.10')).toBeUndefined();
    const sensor = await sut.bySourceIp('192.0.2.10');
    expect(sensor).toEqual({ sensorId: FIREWALL.id, customerId: 'customer-a', product: 'FORTIGATE', timeZone: 'Asia/Tokyo', retentionMonths: 6, acceptUdp: true });
    expect(sut.peekBySourceIp('192.0.2.10')).toEqual({ value: sensor });
    expect(await sut.bySourceIp('192.0.2.10')).toEqual(sensor);
    expect(await sut.bySourceIp('192.0.2.99')).toBeNull();
    expect(sut.peekBySourceIp('192.0.2.99')).toEqual({ value: null });
    expect(queries).toEqual(['192.0.2.10', '192.0.2.99']);
  });

  it('sees a changed sensor at once after invalidate()', async () => {
    const { sut, rows, queries } = setup();
    await sut.bySourceIp('192.0.2.10');
    rows.set('192.0.2.10', { ...FIREWALL, revoked_at: new Date() });
    sut.invalidate();
    expect(sut.peekBySourceIp('192.0.2.10')).toBeUndefined();
    expect(await sut.bySourceIp('192.0.2.10')).toBeNull();
    expect(sut.peekBySourceIp('192.0.2.10')).toEqual({ value: null });
    expect(queries).toEqual(['192.0.2.10', '192.0.2.10']);
  });
});
