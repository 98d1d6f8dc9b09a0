import { Injectable } from '@nestjs/common';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { ALERT_SEVERITY_FLOOR, alertSeverityOfScore } from '@kanshi/events';
import { ConnectionShape, pageOf } from '@kanshi/platform';
import { AlertObject } from './alert.object';
import { IngestionPermissions } from '../ingestion.permissions';
import { AlertFilter } from './alerts.args';
import { isUuid } from '../sensors/uuid-arg';
import { AlertRow, AlertsRepository } from './alerts.repository';

@Injectable()
export class AlertsService {
  constructor(private readonly repo: AlertsRepository) {}

  // Every role may read alerts; the scope decides whose.
  async page(principal: Principal, filter: AlertFilter = {}, first = 50, after?: string): Promise<ConnectionShape<AlertObject>> {
    authorize(principal, IngestionPermissions.readAlerts);
    const rows = await this.repo.page(
      scopeOf(principal),
      {
        customerId: filter.customerId,
        sensorId: filter.sensorId,
        from: filter.from ? new Date(filter.from) : undefined,
        to: filter.to ? new Date(filter.to) : undefined,
        minSeverity: filter.minSeverity ? ALERT_SEVERITY_FLOOR[filter.minSeverity] : undefined,
      },
      first + 1,
      after,
    );
    return pageOf(rows.map(toAlert), first, (a) => ({ sortKey: a.receivedAt.toISOString(), id: a.id }));
  }

  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, AlertObject>> {
    const rows = await this.repo.visibleByIds(scopeOf(principal), ids.filter(isUuid));
    return new Map(rows.map((r) => [r.id, toAlert(r)]));
  }
}

export function toAlert(r: AlertRow): AlertObject {
  return {
    id: r.id,
    sensorId: r.sensor_id,
    customerId: r.customer_id,
    receivedAt: r.received_at,
    lastReceivedAt: r.last_received_at,
    occurredAt: r.occurred_at,
    product: r.product,
    vendorEventId: r.vendor_event_id,
    ruleName: r.rule_name,
    vendorSeverity: r.vendor_severity,
    severity: alertSeverityOfScore(r.severity),
    severityScore: r.severity,
    blocked: r.blocked,
    groupKey: r.group_key,
    hostName: r.host_name,
    hostIp: r.host_ip,
    sourceIp: r.source_ip,
    destinationIp: r.destination_ip,
    userName: r.user_name,
    fileName: r.file_name,
    fileHash: r.file_hash,
    ecs: r.ecs,
    raw: r.raw,
    repeatCount: r.repeat_count,
  };
}
