import { Inject, Injectable } from '@nestjs/common';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { ConnectionShape, pageOf, PLATFORM_CONFIG } from '@kanshi/platform';
import { IngestionConfig } from '../config';
import { IngestionPermissions } from '../ingestion.permissions';
import { IngestionError } from '../sensors/ingestion.errors';
import { RawEventObject } from './raw-event.object';
import { RawEventFilter } from './raw-events.args';
import { RawEventsRepository } from './raw-events.repository';

const MAX_RANGE_MS = 93 * 86400_000;
// PostgreSQL's query_canceled, which statement_timeout raises
const QUERY_CANCELED = '57014';

@Injectable()
export class RawEventsService {
  constructor(
    private readonly repo: RawEventsRepository,
    @Inject(PLATFORM_CONFIG) private readonly config: IngestionConfig,
  ) {}

  // Log search is analysts' work: provider staff only, over a bounded time range.
  async search(principal: Principal, filter: RawEventFilter, first = 50, after?: string): Promise<ConnectionShape<RawEventObject>> {
    authorize(principal, IngestionPermissions.searchRawEvents);
    const from = new Date(filter.from);
    const to = new Date(filter.to);
    if (!(to > from)) throw new IngestionError('BAD_INPUT', 'to must be after from', 'to');
    if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw new IngestionError('BAD_INPUT', 'the time range may span at most 93 days', 'to');
    const timeoutMs = this.config.RAW_SEARCH_TIMEOUT_MS;
    const rows = await this.repo
      .search(scopeOf(principal), { from, to, text: filter.text, customerId: filter.customerId, sensorId: filter.sensorId, kind: filter.kind }, first + 1, after, timeoutMs)
      .catch((err: { code?: string }) => {
        if (err.code !== QUERY_CANCELED) throw err;
        throw new IngestionError(
          'SEARCH_TOO_BROAD',
          `the search did not finish within ${timeoutMs / 1000} s: narrow the time range, or add customerId, sensorId or kind`,
          'filter',
        );
      });
    const nodes: RawEventObject[] = rows.map((r) => ({
      id: r.id,
      receivedAt: r.received_at,
      occurredAt: r.occurred_at,
      customerId: r.customer_id,
      sensorId: r.sensor_id,
      product: r.product,
      transport: r.transport,
      kind: r.kind,
      severityScore: r.severity,
      raw: r.raw,
      rawBase64: r.raw_bytes ? r.raw_bytes.toString('base64') : null,
    }));
    return pageOf(nodes, first, (e) => ({ sortKey: e.receivedAt.toISOString(), id: e.id }));
  }
}
