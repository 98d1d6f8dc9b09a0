// The columns a parsed batch is stored in: the contract between the parse worker, which
// serializes the rows (parse-batch.ts), and the repositories, which write them as they are
// (raw-events.repository.ts, alerts.repository.ts). Plain data only: the worker imports it.

// The raw_event columns the parse worker writes, in this order, as COPY text rows.
export const RAW_EVENT_COLUMNS = 'received_at, retention_months, occurred_at, customer_id, sensor_id, product, transport, kind, severity, raw, raw_bytes';

// Accepted records as rows of PostgreSQL's COPY text format (RAW_EVENT_COLUMNS), UTF-8: the
// main thread streams them to the database as they are (no per-row work there).
export interface RawRows {
  count: number;
  // distinct UTC months (YYYY-MM) of receivedAt, for the partitions
  months: string[];
  copy: Uint8Array;
}

// The alerts of a batch (identical ones counted), sorted by alert key (the order the
// upsert locks them in), each column a PostgreSQL array literal; with the alerts.received body
// of each as it will be if the alert is new (its id is made here).
export interface AlertColumns {
  count: number;
  ids: string[];
  bodies: string[];
  columns: Record<(typeof ALERT_COLUMNS)[number], Uint8Array>;
}

export const ALERT_COLUMNS = [
  'id',
  'alert_key',
  'vendor_event_id',
  'received_at',
  'occurred_at',
  'rule_name',
  'vendor_severity',
  'severity',
  'blocked',
  'group_key',
  'host_name',
  'host_ip',
  'source_ip',
  'destination_ip',
  'user_name',
  'file_name',
  'file_hash',
  'ecs',
  'raw',
  'repeat_count',
] as const;
