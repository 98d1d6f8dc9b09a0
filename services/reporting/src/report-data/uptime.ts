import { LivenessChangeFact, SensorFact } from './report-facts';

export interface SensorUptime {
  sensorId: string;
  name: string;
  product: string;
  // the version its events report, as known when the report is made
  productVersion: string | null;
  // The part of the range the sensor existed in, in ms.
  observedMs: number;
  downMs: number;
  // Times it went DOWN inside the range.
  outages: number;
  // 0..100, two decimals; null when the sensor did not exist in the range.
  uptimePercent: number | null;
}

// Up-time per sensor over [from, to) from its liveness changes: the state it entered the range in
// (its last change before `from`; UP when it had none: a sensor is counted up until it is reported
// down) and the changes inside. DOWN time is from a DOWN change to the next UP (or the range's end).
export function uptimeOf(sensors: SensorFact[], changes: LivenessChangeFact[], from: Date, to: Date): SensorUptime[] {
  const start = from.getTime();
  const end = to.getTime();
  return sensors.map((s) => {
    const begin = Math.max(start, s.registeredAt.getTime());
    const mine = changes.filter((c) => c.sensorId === s.sensorId).sort((a, b) => a.at.getTime() - b.at.getTime());
    let state: 'UP' | 'DOWN' = 'UP';
    let since = begin;
    let downMs = 0;
    let outages = 0;
    for (const c of mine) {
      const at = c.at.getTime();
      if (at < begin) {
        state = c.status;
        continue;
      }
      if (at >= end) break;
      if (c.status === state) continue;
      if (state === 'DOWN') downMs += at - since;
      else outages++;
      state = c.status;
      since = at;
    }
    if (state === 'DOWN' && end > since) downMs += end - since;
    const observedMs = Math.max(0, end - begin);
    const uptimePercent = observedMs > 0 ? Math.round(((observedMs - downMs) / observedMs) * 10_000) / 100 : null;
    return { sensorId: s.sensorId, name: s.name, product: s.product, productVersion: s.productVersion ?? null, observedMs, downMs, outages, uptimePercent };
  });
}
