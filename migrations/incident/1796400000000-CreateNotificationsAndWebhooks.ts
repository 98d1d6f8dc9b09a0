import { MigrationInterface, QueryRunner } from 'typeorm';

// Customer notifications (mail, phone call tasks) and outbound webhooks (issue 11 items 3 and 6).
export class CreateNotificationsAndWebhooks1796400000000 implements MigrationInterface {
  name = 'CreateNotificationsAndWebhooks1796400000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per incident, severity decision, channel and recipient: a redelivered decision
    // finds its row and sends nothing more; a raised severity (MEDIUM -> HIGH) has rows of its own.
    await q.query(`CREATE TABLE incident.notification (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      incident_id uuid NOT NULL,
      customer_id uuid NOT NULL,
      severity text NOT NULL CHECK (severity IN ('HIGH', 'MEDIUM', 'LOW')),
      channel text NOT NULL CHECK (channel IN ('EMAIL', 'PHONE')),
      recipient text NOT NULL,
      contact_name text NOT NULL DEFAULT '',
      language text NOT NULL CHECK (language IN ('ja', 'en')),
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'RETRYING', 'DELIVERED', 'FAILED')),
      attempts int NOT NULL DEFAULT 0,
      subject text NOT NULL DEFAULT '',
      body text NOT NULL DEFAULT '',
      sent_at timestamptz,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (incident_id, severity, channel, recipient)
    )`);
    await q.query(`CREATE INDEX notification_incident_idx ON incident.notification (incident_id, created_at)`);

    // What the customer is told about an incident: the latest deciding verdict's reasons and
    // actions (English and Japanese) and hosts, kept for decisions that come without a verdict
    // (an analyst's confirmSeverity).
    await q.query(`CREATE TABLE incident.notification_context (
      incident_id uuid PRIMARY KEY,
      reasons jsonb NOT NULL,
      actions jsonb NOT NULL,
      hosts text[] NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);

    // A phone call task for the operator: the escalation list in order, the contact being called,
    // when the next one is due, and every attempt with its outcome.
    await q.query(`CREATE TABLE incident.call_task (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      notification_id uuid NOT NULL UNIQUE REFERENCES incident.notification (id),
      incident_id uuid NOT NULL,
      customer_id uuid NOT NULL,
      severity text NOT NULL,
      reason text NOT NULL,
      status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'REACHED', 'ACKNOWLEDGED', 'CANCELLED')),
      assignee text,
      contacts jsonb NOT NULL,
      current_index int NOT NULL DEFAULT 0,
      rounds int NOT NULL DEFAULT 0,
      next_step_at timestamptz NOT NULL,
      script_ja text NOT NULL,
      script_en text NOT NULL,
      log jsonb NOT NULL DEFAULT '[]',
      closed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX call_task_open_idx ON incident.call_task (next_step_at) WHERE status = 'OPEN'`);
    await q.query(`CREATE INDEX call_task_incident_idx ON incident.call_task (incident_id)`);
    // An automated voice call's provider id, for its status callbacks.
    await q.query(`CREATE TABLE incident.voice_call (
      call_sid text PRIMARY KEY,
      call_task_id uuid NOT NULL REFERENCES incident.call_task (id),
      contact_index int NOT NULL,
      status text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);

    // Webhook subscriptions: a customer's (customer_id), a partner's (partner_id; every customer of
    // the partner, or one of them), or the provider's (neither).
    await q.query(`CREATE TABLE incident.webhook_subscription (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      owner_kind text NOT NULL CHECK (owner_kind IN ('CUSTOMER', 'PARTNER', 'PROVIDER')),
      partner_id uuid,
      customer_id uuid,
      url text NOT NULL,
      event_types text[] NOT NULL,
      secret text NOT NULL,
      description text NOT NULL DEFAULT '',
      active boolean NOT NULL DEFAULT true,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (owner_kind <> 'CUSTOMER' OR customer_id IS NOT NULL),
      CHECK (owner_kind <> 'PARTNER' OR partner_id IS NOT NULL)
    )`);
    await q.query(`CREATE INDEX webhook_subscription_customer_idx ON incident.webhook_subscription (customer_id) WHERE active`);
    await q.query(`CREATE INDEX webhook_subscription_partner_idx ON incident.webhook_subscription (partner_id) WHERE active`);
    // One delivery per subscription and event (a redelivered event adds none); its id is the
    // webhook-id header, the same on every retry and replay.
    await q.query(`CREATE TABLE incident.webhook_delivery (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      subscription_id uuid NOT NULL REFERENCES incident.webhook_subscription (id),
      customer_id uuid NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      payload text NOT NULL,
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'RETRYING', 'SUCCEEDED', 'FAILED')),
      attempts jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (subscription_id, event_id)
    )`);
    await q.query(`CREATE INDEX webhook_delivery_subscription_idx ON incident.webhook_delivery (subscription_id, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE incident.webhook_delivery`);
    await q.query(`DROP TABLE incident.webhook_subscription`);
    await q.query(`DROP TABLE incident.voice_call`);
    await q.query(`DROP TABLE incident.call_task`);
    await q.query(`DROP TABLE incident.notification_context`);
    await q.query(`DROP TABLE incident.notification`);
  }
}
