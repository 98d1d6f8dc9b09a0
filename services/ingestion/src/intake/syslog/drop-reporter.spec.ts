import { metricsRegistry } from '@kanshi/observability';
import { DropReporter } from './drop-reporter';
import type { SyslogDrop } from './syslog-delivery';

const flood = (remoteAddress: string, records = 1): SyslogDrop => ({ reason: 'udp_overload', records, transport: 'udp', remoteAddress, sensor: { sensorId: 's-1', customerId: 'c-1', product: 'FORTIGATE', timeZone: 'Asia/Tokyo' } as never });

async function droppedTotal(): Promise<number> {
  const metric = (await metricsRegistry.getMetricsAsJSON()).find((m) => m.name === 'kanshi_ingest_dropped_total');
  return (metric?.values ?? []).filter((v) => v.labels.reason === 'udp_overload' && v.labels.transport === 'udp').reduce((sum, v) => sum + v.value, 0);
}

describe('DropReporter', () => {
  let clock = 0;
  let warnings: { fields: Record<string, unknown>; message: string }[];
  let sut: DropReporter;

  beforeEach(() => {
    jest.useFakeTimers();
    clock = 1_000_000;
    warnings = [];
    sut = new DropReporter((fields, message) => warnings.push({ fields, message }), 10_000, () => clock);
  });

  afterEach(() => jest.useRealTimers());

  const tick = (ms: number) => {
    clock += ms;
    jest.advanceTimersByTime(ms);
  };

  it('counts every dropped record in Prometheus by transport and reason', async () => {
    const before = await droppedTotal();
    sut.report(flood('10.0.0.1', 500));
    sut.report(flood('10.0.0.2', 250));
    expect((await droppedTotal()) - before).toBe(750);
  });

  it('warns at once for a new source, then at most once per interval with the sum since the last warning', () => {
    sut.report(flood('10.0.0.1', 500));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].fields).toEqual({ reason: 'udp_overload', transport: 'udp', remoteAddress: '10.0.0.1', sensorId: 's-1', records: 500 });
    expect(warnings[0].message).toMatch(/dropped.*UDP/);

    tick(1_000);
    sut.report(flood('10.0.0.1', 300));
    tick(1_000);
    sut.report(flood('10.0.0.1', 200));
    tick(7_999);
    expect(warnings).toHaveLength(1);

    // the drops stopped: the rest is still reported, one interval after the last warning
    tick(1);
    expect(warnings).toHaveLength(2);
    expect(warnings[1].fields.records).toBe(500);
  });

  it('keeps sources apart and reports what is left at stop', () => {
    sut.report(flood('10.0.0.1'));
    sut.report(flood('10.0.0.2'));
    tick(100);
    sut.report(flood('10.0.0.2', 7));
    expect(warnings.map((w) => [w.fields.remoteAddress, w.fields.records])).toEqual([
      ['10.0.0.1', 1],
      ['10.0.0.2', 1],
    ]);
    sut.flush();
    expect(warnings.map((w) => [w.fields.remoteAddress, w.fields.records])).toEqual([
      ['10.0.0.1', 1],
      ['10.0.0.2', 1],
      ['10.0.0.2', 7],
    ]);
  });
});
