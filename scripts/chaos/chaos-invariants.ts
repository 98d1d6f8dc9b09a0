import { connect } from 'nats';
import { Client } from 'pg';
import { SERVICES } from '../services';
import { Ledger } from './chaos-load';
import { ChaosRelay } from './chaos-relay';

// What the chaos run checks at the end, from the senders' ledgers and the local servers' records
// (not from Kanshi's database alone) and then from the database and JetStream.

export interface Check {
  name: string;
  expected: string;
  seen: string;
  lost: number;
  duplicated: number;
  // Counted, not a failure (resends with the same key, syslog TCP loss within its promise, ...).
  note?: string;
  ok: boolean;
}

// The line's marker, from its msg field ("chaos Chaos.H.12.3").
const MARKER = `substring(%s from 'chaos (Chaos\\.[A-Z]\\.[0-9.]+)')`;

async function countsBy(db: Client, sql: string): Promise<Map<string, number>> {
  const rows = (await db.query<{ m: string; n: string }>(sql)).rows;
  return new Map(rows.filter((r) => r.m).map((r) => [r.m.replace(/\.$/, ''), Number(r.n)]));
}

function compare(name: string, owed: Set<string>, stored: Map<string, number>, prefix: string, mustKeepAll: boolean, note?: string): Check {
  let lost = 0;
  let duplicated = 0;
  for (const m of owed) if (!stored.has(m)) lost++;
  let storedOfPrefix = 0;
  for (const [m, n] of stored) {
    if (!m.startsWith(prefix)) continue;
    storedOfPrefix++;
    if (n > 1) duplicated += n - 1;
  }
  return {
    name,
    expected: `${owed.size} exactly once`,
    seen: `${storedOfPrefix} stored`,
    lost: mustKeepAll ? lost : 0,
    duplicated,
    note: mustKeepAll ? note : `${lost} not stored (allowed: ${note ?? 'no acknowledgement'})`,
    ok: (!mustKeepAll || lost === 0) && duplicated === 0,
  };
}

// Windows in which ingestion could not take a datagram or a TCP line (killed, restarting, paused).
export type Window = { from: number; to: number };

export async function checkIntake(db: Client, ledgers: Ledger[], down: Window[] = [], udpDroppedByIntake = 0): Promise<Check[]> {
  const raw = await countsBy(db, `SELECT ${MARKER.replace('%s', 'raw')} AS m, count(*) AS n FROM ingestion.raw_event WHERE raw LIKE '%Chaos.%' GROUP BY 1`);
  const alerts = await countsBy(db, `SELECT ${MARKER.replace('%s', 'raw')} AS m, count(*) AS n FROM ingestion.alert WHERE rule_name LIKE 'Chaos.%' GROUP BY 1`);
  const checks: Check[] = [];
  for (const l of ledgers) {
    const prefix = `Chaos.${l.transport === 'HTTPS' ? 'H' : l.transport === 'SMTP' ? 'M' : l.transport === 'TCP' ? 'T' : 'U'}.`;
    const owed = l.transport === 'HTTPS' || l.transport === 'SMTP';
    const why = l.transport === 'TCP' ? 'syslog over TCP has no application acknowledgement' : 'UDP: lost datagrams';
    const resent = owed ? `resent ${l.resent} (same key)` : undefined;
    if (owed) {
      checks.push(compare(`${l.transport} lines -> raw events`, l.sent, raw, prefix, true, resent));
      checks.push(compare(`${l.transport} lines -> alerts`, l.sent, alerts, prefix, true, resent));
      continue;
    }
    // not acknowledged: a line not stored must have been sent while ingestion was down (or, for
    // UDP, be counted in ingestion's drop metric); anything else is a silent loss
    const missing = [...l.sent].filter((m) => !alerts.has(m));
    const inDown = missing.filter((m) => down.some((w) => (l.sentAt.get(m) ?? 0) >= w.from - 1000 && (l.sentAt.get(m) ?? 0) <= w.to + 1000)).length;
    const outside = missing.length - inDown;
    const allowedOutside = l.transport === 'UDP' ? udpDroppedByIntake : 0;
    for (const [what, stored] of [['raw events', raw], ['alerts', alerts]] as const) {
      const c = compare(`${l.transport} lines -> ${what}`, l.sent, stored, prefix, false, why);
      c.note = `${missing.length} not stored: ${inDown} sent while ingestion was down or paused, ${outside} otherwise${l.transport === 'UDP' ? ` (intake's drop metric: ${udpDroppedByIntake})` : ''}`;
      c.lost = Math.max(0, outside - allowedOutside);
      c.ok = c.ok && c.lost === 0;
      checks.push(c);
    }
  }
  return checks;
}

export async function checkAnalysis(db: Client): Promise<Check[]> {
  const { rows } = await db.query<{ alerts: string; without: string; extra: string }>(`
    SELECT count(*) AS alerts,
           count(*) FILTER (WHERE v.n IS NULL) AS without,
           coalesce(sum(v.n - 1) FILTER (WHERE v.n > 1), 0) AS extra
      FROM ingestion.alert a
      LEFT JOIN (SELECT alert_id, count(*) AS n FROM analysis.verdict GROUP BY alert_id) v ON v.alert_id = a.id`);
  const r = rows[0];
  const lost = Number(r.without);
  const duplicated = Number(r.extra);
  return [{ name: 'alerts -> one verdict each', expected: `${r.alerts} verdicts`, seen: `${Number(r.alerts) - lost} with a verdict`, lost, duplicated, ok: lost === 0 && duplicated === 0 }];
}

export async function checkIncidents(db: Client, relay: ChaosRelay): Promise<Check[]> {
  const open = await db.query<{ n: string }>(`SELECT count(*) AS n FROM (SELECT group_id FROM incident.incident WHERE group_id IS NOT NULL AND status NOT IN ('RESOLVED','CLOSED') GROUP BY group_id HAVING count(*) > 1) x`);
  const groups = await db.query<{ groups: string; without: string }>(`
    SELECT count(DISTINCT v.group_id) AS groups,
           count(DISTINCT v.group_id) FILTER (WHERE i.id IS NULL) AS without
      FROM analysis.verdict v
      LEFT JOIN incident.incident i ON i.group_id = v.group_id
     WHERE v.group_id IS NOT NULL AND v.severity IN ('HIGH', 'MEDIUM')`);
  const checks: Check[] = [
    {
      name: 'HIGH/MEDIUM alert groups -> one open incident',
      expected: `${groups.rows[0].groups} groups with an incident`,
      seen: `${Number(groups.rows[0].groups) - Number(groups.rows[0].without)}`,
      lost: Number(groups.rows[0].without),
      duplicated: Number(open.rows[0].n),
      ok: Number(groups.rows[0].without) === 0 && Number(open.rows[0].n) === 0,
    },
  ];
  // Every mail the relay accepted carries a notification's key; a key seen twice is a resend.
  const delivered = await db.query<{ id: string }>(`SELECT id FROM incident.notification WHERE channel = 'EMAIL' AND status = 'DELIVERED'`);
  const known = new Set(delivered.rows.map((r) => `<${r.id}@kanshi>`));
  const all = await db.query<{ id: string }>(`SELECT id FROM incident.notification WHERE channel = 'EMAIL'`);
  const anyKnown = new Set(all.rows.map((r) => `<${r.id}@kanshi>`));
  let lost = 0;
  for (const k of known) if (!relay.accepted.has(k)) lost++;
  let resent = 0;
  let unknown = 0;
  for (const [id, n] of relay.accepted) {
    if (!anyKnown.has(id)) unknown += n;
    else resent += n - 1;
  }
  checks.push({
    name: 'notification mails -> the relay, one key each',
    expected: `${known.size} delivered notifications`,
    seen: `${relay.accepted.size} keys at the relay`,
    lost,
    // a mail whose key is no notification's (staff alerts carry their event's id)
    duplicated: 0,
    note: `resent ${resent} (same Message-ID), ${relay.refused} refused by the relay while failing, ${unknown} other mails (staff alerts)`,
    ok: lost === 0,
  });
  return checks;
}

export async function checkIsolations(db: Client, containActions: Map<string, number>): Promise<Check[]> {
  const { rows } = await db.query<{ agent: string; n: string }>(`
    SELECT agent_id AS agent, count(*) AS n FROM endpoint_response.isolation WHERE agent_id IS NOT NULL GROUP BY 1`);
  const isolations = new Map(rows.map((r) => [r.agent, Number(r.n)]));
  let duplicated = 0;
  for (const [agent, n] of containActions) duplicated += Math.max(0, n - (isolations.get(agent) ?? 0));
  const total = [...containActions.values()].reduce((a, b) => a + b, 0);
  return [{ name: 'isolations -> one contain action each at the EDR', expected: `${[...isolations.values()].reduce((a, b) => a + b, 0)} isolations`, seen: `${total} contain actions`, lost: 0, duplicated, ok: duplicated === 0 }];
}

// Nothing stuck: every outbox published, no consumer behind, dead letters listed.
export async function checkDrained(db: Client, natsUrl: string, namespace: string): Promise<Check[]> {
  const checks: Check[] = [];
  let unpublished = 0;
  const stuck: string[] = [];
  let dead = 0;
  const deadDetail: string[] = [];
  for (const s of SERVICES) {
    // A row written in the last seconds (a liveness check, an SLA tick) is in flight, not stuck.
    const u = await db.query<{ subject: string; n: string }>(
      `SELECT subject, count(*) AS n FROM "${s.schema}".outbox WHERE published_at IS NULL AND created_at < now() - interval '5 seconds' GROUP BY 1`,
    );
    for (const r of u.rows) {
      unpublished += Number(r.n);
      stuck.push(`${s.schema}/${r.subject}: ${r.n}`);
    }
    const d = await db.query<{ consumer: string; error: string; n: string }>(`SELECT consumer, left(error, 80) AS error, count(*) AS n FROM "${s.schema}".dead_letter GROUP BY 1, 2`);
    for (const r of d.rows) {
      dead += Number(r.n);
      deadDetail.push(`${s.schema}/${r.consumer}: ${r.n} (${r.error})`);
    }
  }
  const nc = await connect({ servers: natsUrl });
  let lag = 0;
  const behind: string[] = [];
  try {
    const jsm = await nc.jetstreamManager();
    for await (const stream of jsm.streams.list()) {
      if (!stream.config.name.startsWith(`${namespace}_`)) continue;
      for await (const c of jsm.consumers.list(stream.config.name)) {
        const n = c.num_pending + c.num_ack_pending;
        if (n > 0) behind.push(`${c.name}: ${n}`);
        lag += n;
      }
    }
  } finally {
    await nc.close();
  }
  checks.push({ name: 'outboxes published', expected: '0 unpublished for over 5 s', seen: `${unpublished}${stuck.length ? ` (${stuck.join(', ')})` : ''}`, lost: 0, duplicated: 0, ok: unpublished === 0 });
  checks.push({ name: 'consumers caught up', expected: '0 pending', seen: `${lag}${behind.length ? ` (${behind.join(', ')})` : ''}`, lost: 0, duplicated: 0, ok: lag === 0 });
  checks.push({ name: 'dead letters', expected: '0 (the load has no invalid input)', seen: `${dead}${deadDetail.length ? ` (${deadDetail.join('; ')})` : ''}`, lost: dead, duplicated: 0, ok: dead === 0 });
  return checks;
}
