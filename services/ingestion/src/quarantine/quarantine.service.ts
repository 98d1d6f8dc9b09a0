import { Injectable } from '@nestjs/common';
import { authorize, Principal } from '@kanshi/auth';
import { ConnectionShape, pageOf } from '@kanshi/platform';
import { IngestionPermissions } from '../ingestion.permissions';
import { IngestService, toParseInput } from '../intake/pipeline/ingest.service';
import { decodeDeviceText } from '../parsers/charset';
import { IngestionError } from '../sensors/ingestion.errors';
import { SensorDirectory } from '../sensors/sensor-directory.service';
import { QuarantineFilter, ReplayBatchArgs } from './quarantine.args';
import { QuarantineEntryObject, QuarantineReplayObject, QuarantineReplaySummaryObject, QuarantineStatus } from './quarantine.object';
import { assertUuid } from '../sensors/uuid-arg';
import { QuarantineRepository, QuarantineRow } from './quarantine.repository';

const SHOWN_BYTES = 256 * 1024;

// The quarantine is provider staff's: every record that was not accepted, with the reason, and
// a replay through today's parsers once a parser is fixed.
@Injectable()
export class QuarantineService {
  constructor(
    private readonly repo: QuarantineRepository,
    private readonly ingest: IngestService,
    private readonly sensors: SensorDirectory,
  ) {}

  async page(principal: Principal, filter: QuarantineFilter = {}, first = 50, after?: string): Promise<ConnectionShape<QuarantineEntryObject>> {
    authorize(principal, IngestionPermissions.readQuarantine);
    const rows = await this.repo.page(
      { ...filter, from: filter.from ? new Date(filter.from) : undefined, to: filter.to ? new Date(filter.to) : undefined },
      first + 1,
      after,
    );
    return pageOf(rows.map(toEntry), first, (e) => ({ sortKey: e.receivedAt.toISOString(), id: e.id }));
  }

  async replay(principal: Principal, id: string): Promise<QuarantineReplayObject> {
    authorize(principal, IngestionPermissions.replayQuarantine);
    assertUuid(id, 'id');
    const entry = await this.repo.findById(id);
    if (!entry) throw new IngestionError('QUARANTINE_NOT_FOUND', `quarantine entry ${id} not found`, 'id');
    return this.replayEntry(entry);
  }

  // Replays a sensor's quarantined entries, oldest first (after a parser fix for its product).
  async replayBatch(principal: Principal, args: ReplayBatchArgs): Promise<QuarantineReplaySummaryObject> {
    authorize(principal, IngestionPermissions.replayQuarantine);
    const rows = await this.repo.page(
      { sensorId: args.sensorId, status: QuarantineStatus.QUARANTINED, from: args.from ? new Date(args.from) : undefined, to: args.to ? new Date(args.to) : undefined },
      args.limit ?? 500,
    );
    const summary = { attempted: 0, accepted: 0, stillQuarantined: 0 };
    for (const row of rows.reverse()) {
      summary.attempted++;
      const r = await this.replayEntry(row);
      if (r.accepted) summary.accepted++;
      else summary.stillQuarantined++;
    }
    return summary;
  }

  private async replayEntry(entry: QuarantineRow): Promise<QuarantineReplayObject> {
    if (entry.status === 'REPLAYED') throw new IngestionError('NOT_REPLAYABLE', `quarantine entry ${entry.id} was already replayed`, 'id');
    if (!entry.sensor_id) throw new IngestionError('NOT_REPLAYABLE', `quarantine entry ${entry.id} came from ${entry.remote_address ?? 'an unknown source'}, which is no sensor's; register the address on a sensor and have it resend`, 'id');
    const sensor = await this.sensors.byId(entry.sensor_id);
    if (!sensor) throw new IngestionError('NOT_REPLAYABLE', `the sensor of quarantine entry ${entry.id} was revoked`, 'id');
    const meta = { transport: 'replay' as const, remoteAddress: entry.remote_address };
    // Stored with the transport it originally came by.
    const batch = await this.ingest.prepare(sensor, toParseInput([{ bytes: entry.raw, receivedAt: entry.received_at }]), meta, entry.transport);
    const [result] = batch.results;
    if (result.status === 'quarantined') {
      const row = await this.ingest.writeInTransaction(sensor, { ...batch, quarantine: [] }, (em) => this.repo.markStillRejected(em, entry.id, result.reason));
      return { entry: toEntry(row), accepted: false, events: 0, reason: result.reason };
    }
    const row = await this.ingest.writeInTransaction(sensor, batch, async (em) => {
      const locked = await this.repo.findForUpdate(em, entry.id);
      // Two replays at once: the second finds it done and rolls its copy back.
      if (!locked || locked.status === 'REPLAYED') throw new IngestionError('NOT_REPLAYABLE', `quarantine entry ${entry.id} was already replayed`, 'id');
      return this.repo.markReplayed(em, entry.id, result.events);
    });
    await this.ingest.afterCommit(sensor, batch, meta);
    return { entry: toEntry(row), accepted: true, events: result.events, reason: null };
  }
}

function toEntry(r: QuarantineRow): QuarantineEntryObject {
  const shown = r.raw.subarray(0, SHOWN_BYTES);
  return {
    id: r.id,
    receivedAt: r.received_at,
    sensorId: r.sensor_id,
    customerId: r.customer_id,
    product: r.product,
    transport: r.transport,
    remoteAddress: r.remote_address,
    reason: r.reason,
    status: r.status,
    sizeBytes: r.raw.length,
    rawText: decodeDeviceText(shown),
    rawBase64: shown.toString('base64'),
    rawTruncated: r.raw.length > SHOWN_BYTES,
    replayAttempts: r.replay_attempts,
    lastReplayedAt: r.last_replayed_at,
    replayedEventCount: r.replayed_event_count,
  };
}
