// The outbox, inbox and dead-letter tables every service's schema has (see libs/messaging).
// Frozen: migrations that already ran call this; a change to these tables is a new function.
export function messagingTablesV1(schema: string): { up: string[]; down: string[] } {
  const s = `"${schema}"`;
  return {
    up: [
      `CREATE TABLE ${s}.outbox (
        seq bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        subject text NOT NULL,
        payload jsonb NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        last_error text
      )`,
      `CREATE INDEX outbox_unpublished_idx ON ${s}.outbox (seq) WHERE published_at IS NULL`,
      `CREATE TABLE ${s}.inbox (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`,
      `CREATE TABLE ${s}.dead_letter (
        id bigserial PRIMARY KEY,
        consumer text NOT NULL,
        subject text NOT NULL,
        event_id text,
        payload text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        error text NOT NULL,
        deliveries int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      // Every service keeps the customer directory it needs to scope partner callers.
      `CREATE TABLE ${s}.tenant_customer (
        customer_id uuid PRIMARY KEY,
        partner_id uuid,
        name text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX tenant_customer_partner_idx ON ${s}.tenant_customer (partner_id)`,
    ],
    down: [`DROP TABLE ${s}.tenant_customer`, `DROP TABLE ${s}.dead_letter`, `DROP TABLE ${s}.inbox`, `DROP TABLE ${s}.outbox`],
  };
}

// V2: the outbox keeps each envelope as `json` (the text as written) instead of `jsonb`. The
// relay only ever reads the text back and publishes it; jsonb made PostgreSQL parse every
// envelope into its binary form on insert and print it again for the relay (measured: about
// 60 us of CPU per alerts.received event, whose envelope carries a whole ECS document).
export function messagingTablesV2(schema: string): { up: string[]; down: string[] } {
  const s = `"${schema}"`;
  return {
    up: [`ALTER TABLE ${s}.outbox ALTER COLUMN payload TYPE json USING payload::json`],
    down: [`ALTER TABLE ${s}.outbox ALTER COLUMN payload TYPE jsonb USING payload::jsonb`],
  };
}
