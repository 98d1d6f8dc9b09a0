import { Injectable, OnModuleInit } from '@nestjs/common';
import { DetectionPulled, DetectionPulledBody, EventEnvelope } from '@kanshi/events';
import { ConsumerHost, PermanentEventError } from '@kanshi/messaging';
import { counter, createLogger } from '@kanshi/observability';
import { IngestService } from '../intake/pipeline/ingest.service';
import { SensorDirectory } from '../sensors/sensor-directory.service';
import { EntityManager } from 'typeorm';

const refused = counter('kanshi_pulled_detections_refused_total', 'Pulled detections refused (sensor of another customer, unknown, or of another product)', ['reason']);
const log = createLogger('pulled-detections');

// Detections endpoint-response pulled from vendor APIs (EDR consoles, FireEye appliances), stored
// as records of sensor `sensorId` through the intake pipeline every transport uses: the parser of
// the sensor's product, raw event storage, alert identity deduplication and alerts.received. A
// FireEye alert pulled and also mailed is one alert (appliance + alert id). Written through the
// inbox's transaction: a redelivered event has no second effect. A sensor that is unknown,
// revoked, another customer's or of another product is refused: the event goes to the dead letter
// stream with the reason, nothing is stored.
@Injectable()
export class PulledDetectionsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly sensors: SensorDirectory,
    private readonly ingest: IngestService,
  ) {}

  onModuleInit(): void {
    this.host.register({ durable: 'ingestion-detection-pulled', event: DetectionPulled, handle: (e, { em }) => this.handle(e, em) });
  }

  async handle(e: EventEnvelope<DetectionPulledBody>, em: EntityManager): Promise<void> {
    const { sensorId, product, externalId } = e.body;
    const sensor = await this.sensors.byId(sensorId);
    if (!sensor || !e.customerId || sensor.customerId !== e.customerId) {
      refused.inc({ reason: 'sensor' });
      throw new PermanentEventError(`pulled detection ${externalId}: sensor ${sensorId} is not a live sensor of customer ${e.customerId ?? '(none)'}`);
    }
    if (sensor.product !== product) {
      refused.inc({ reason: 'product' });
      throw new PermanentEventError(`pulled detection ${externalId}: sensor ${sensorId} is a ${sensor.product} sensor, the detection is ${product}`);
    }
    const meta = { transport: 'pull' as const, remoteAddress: null };
    const batch = await this.ingest.ingestWithin(em, sensor, [{ text: JSON.stringify(e.body.record), receivedAt: new Date(e.body.pulledAt) }], meta);
    if (batch.error) throw new PermanentEventError(`pulled detection ${externalId}: ${batch.error}`);
    log.debug({ sensorId, product, externalId, status: batch.results[0]?.status }, 'pulled detection stored');
    // liveness and log hand-off (a detection is an alert: normally no logs) once committed
    setImmediate(() => void this.ingest.afterCommit(sensor, batch, meta).catch((err) => log.warn({ err }, 'after-commit of a pulled detection failed')));
  }
}
