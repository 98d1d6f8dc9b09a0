import { uptimeOf } from './uptime';

const sensor = { sensorId: 's1', name: 'NX-01', product: 'FIREEYE_NX', registeredAt: new Date('2026-01-01T00:00:00Z') };
const from = new Date('2026-10-31T15:00:00Z'); // 2026-11-01 00:00 JST
const to = new Date('2026-11-30T15:00:00Z'); // 30 days later
const at = (iso: string) => new Date(iso);

describe('uptimeOf', () => {
  it('is 100% for a sensor never reported down', () => {
    expect(uptimeOf([sensor], [], from, to)).toEqual([{ sensorId: 's1', name: 'NX-01', product: 'FIREEYE_NX', productVersion: null, observedMs: 30 * 86_400_000, downMs: 0, outages: 0, uptimePercent: 100 }]);
  });

  it('subtracts each DOWN..UP interval inside the month', () => {
    const [u] = uptimeOf(
      [sensor],
      [
        { sensorId: 's1', status: 'DOWN', at: at('2026-11-10T00:00:00Z') },
        { sensorId: 's1', status: 'UP', at: at('2026-11-10T06:00:00Z') },
        { sensorId: 's1', status: 'DOWN', at: at('2026-11-20T00:00:00Z') },
        { sensorId: 's1', status: 'UP', at: at('2026-11-20T06:00:00Z') },
      ],
      from,
      to,
    );
    // 12 h of 720 h down
    expect(u).toMatchObject({ downMs: 12 * 3_600_000, outages: 2, uptimePercent: 98.33 });
  });

  it('starts the month in the state the last earlier change left, and counts a DOWN still open to the month’s end', () => {
    const [u] = uptimeOf(
      [sensor],
      [
        { sensorId: 's1', status: 'DOWN', at: at('2026-10-30T00:00:00Z') },
        { sensorId: 's1', status: 'UP', at: at('2026-11-01T15:00:00Z') },
        { sensorId: 's1', status: 'DOWN', at: at('2026-11-30T03:00:00Z') },
      ],
      from,
      to,
    );
    expect(u).toMatchObject({ downMs: 24 * 3_600_000 + 12 * 3_600_000, outages: 1, uptimePercent: 95 });
  });

  it('counts only the time since a sensor was registered, and ignores another sensor’s changes and repeated states', () => {
    const late = { ...sensor, sensorId: 's2', registeredAt: at('2026-11-15T15:00:00Z') };
    const [u] = uptimeOf(
      [late],
      [
        { sensorId: 's1', status: 'DOWN', at: at('2026-11-16T00:00:00Z') },
        { sensorId: 's2', status: 'UP', at: at('2026-11-16T00:00:00Z') },
        { sensorId: 's2', status: 'DOWN', at: at('2026-11-29T15:00:00Z') },
        { sensorId: 's2', status: 'DOWN', at: at('2026-11-30T00:00:00Z') },
      ],
      from,
      to,
    );
    expect(u).toMatchObject({ observedMs: 15 * 86_400_000, downMs: 86_400_000, outages: 1, uptimePercent: 93.33 });
  });

  it('has no figure for a sensor registered after the range', () => {
    expect(uptimeOf([{ ...sensor, registeredAt: at('2026-12-05T00:00:00Z') }], [], from, to)[0].uptimePercent).toBeNull();
  });
});
