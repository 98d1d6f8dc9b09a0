import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SensorVersionChanged } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { createLogger } from '@kanshi/observability';
import { IntakeSensor } from './sensor-directory.service';

// More sensors than this and the memory of versions starts again (each sensor then costs one
// conditional UPDATE that writes nothing when its version did not change).
const MAX_REMEMBERED = 50_000;

// The product version each sensor reports in its events (ECS observer.version, which the parsers
// fill from a CEF or LEEF header's device version, FireEye's version, ...). The intake path hands
// over each batch's latest version after the batch committed; the database is written only when
// it differs from the one this process last knew for the sensor (so once per sensor after a start,
// then only on a change), and a change is published as ingestion.sensor.version-changed.v1.
@Injectable()
export class SensorVersions {
  private readonly log = createLogger('SensorVersions');
  private readonly known = new Map<string, string>();

  constructor(
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
  ) {}

  // Never throws: the batch is stored already; a failure is logged and the next batch tries again.
  async note(sensor: IntakeSensor, version: string, seenAt: Date): Promise<void> {
    if (this.known.get(sensor.sensorId) === version) return;
    try {
      await this.ds.transaction(async (em) => {
        const result: unknown = await em.query(
          `UPDATE ingestion.sensor s SET product_version = $2, product_version_seen_at = $3
           FROM (SELECT id, product_version AS previous FROM ingestion.sensor WHERE id = $1 FOR UPDATE) p
           WHERE s.id = p.id AND s.product_version IS DISTINCT FROM $2
           RETURNING p.previous`,
          [sensor.sensorId, version, seenAt],
        );
        const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as { previous: string | null }[];
        if (rows.length === 0) return;
        await this.outbox.add(
          em,
          SensorVersionChanged,
          { sensorId: sensor.sensorId, product: sensor.product, version, previousVersion: rows[0].previous, seenAt: seenAt.toISOString() },
          { customerId: sensor.customerId },
        );
      });
      if (this.known.size >= MAX_REMEMBERED) this.known.clear();
      this.known.set(sensor.sensorId, version);
    } catch (err) {
      this.log.warn({ err, sensorId: sensor.sensorId }, 'product version update failed; the next batch tries again');
    }
  }
}
