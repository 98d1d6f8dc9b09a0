import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { CallLogEntry, CallTaskEntity } from './call-task.entity';
import { NotificationEntity } from './notification.entity';
import { SeverityDecision } from './severity-decision';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type NotificationContext = Pick<SeverityDecision, 'reasons' | 'actions' | 'hosts'>;
export type NewNotification = Pick<NotificationEntity, 'incidentId' | 'customerId' | 'severity' | 'channel' | 'recipient' | 'contactName' | 'language' | 'subject' | 'body'>;
export type NewCallTask = Pick<CallTaskEntity, 'notificationId' | 'incidentId' | 'customerId' | 'severity' | 'reason' | 'assignee' | 'contacts' | 'nextStepAt' | 'scriptJa' | 'scriptEn'>;

@Injectable()
export class NotificationsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // null when a notification with the same incident, severity, channel and recipient exists.
  async insertNotification(em: EntityManager, n: NewNotification): Promise<NotificationEntity | null> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO incident.notification (incident_id, customer_id, severity, channel, recipient, contact_name, language, subject, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (incident_id, severity, channel, recipient) DO NOTHING RETURNING id`,
      [n.incidentId, n.customerId, n.severity, n.channel, n.recipient, n.contactName, n.language, n.subject, n.body],
    );
    return rows[0] ? em.getRepository(NotificationEntity).findOneByOrFail({ id: rows[0].id }) : null;
  }

  // insertNotification() of many in one statement; returns those inserted (the others exist already),
  // in the order given.
  async insertNotifications(em: EntityManager, ns: readonly NewNotification[]): Promise<Pick<NotificationEntity, 'id' | 'incidentId' | 'severity' | 'channel' | 'recipient'>[]> {
    if (!ns.length) return [];
    const rows: { id: string; incident_id: string; severity: NotificationEntity['severity']; channel: NotificationEntity['channel']; recipient: string; ord: number }[] = await em.query(
      `INSERT INTO incident.notification (incident_id, customer_id, severity, channel, recipient, contact_name, language, subject, body)
       SELECT incident_id, customer_id, severity, channel, recipient, contact_name, language, subject, body
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) WITH ORDINALITY
         AS u(incident_id, customer_id, severity, channel, recipient, contact_name, language, subject, body, ord)
       ORDER BY ord
       ON CONFLICT (incident_id, severity, channel, recipient) DO NOTHING RETURNING id, incident_id, severity, channel, recipient`,
      [
        ns.map((n) => n.incidentId),
        ns.map((n) => n.customerId),
        ns.map((n) => n.severity),
        ns.map((n) => n.channel),
        ns.map((n) => n.recipient),
        ns.map((n) => n.contactName),
        ns.map((n) => n.language),
        ns.map((n) => n.subject),
        ns.map((n) => n.body),
      ],
    );
    const key = (x: { incidentId: string; severity: string; channel: string; recipient: string }) => `${x.incidentId}|${x.severity}|${x.channel}|${x.recipient}`;
    const byKey = new Map(rows.map((r) => [key({ incidentId: r.incident_id, severity: r.severity, channel: r.channel, recipient: r.recipient }), r]));
    return ns.flatMap((n) => {
      const r = byKey.get(key(n));
      return r ? [{ id: r.id, incidentId: r.incident_id, severity: r.severity, channel: r.channel, recipient: r.recipient }] : [];
    });
  }

  // saveContext() of many incidents (each once) in one statement.
  async saveContexts(em: EntityManager, cs: readonly (NotificationContext & { incidentId: string })[]): Promise<void> {
    if (!cs.length) return;
    await em.query(
      `INSERT INTO incident.notification_context (incident_id, reasons, actions, hosts, updated_at)
       SELECT u.incident_id, u.reasons, u.actions, ARRAY(SELECT jsonb_array_elements_text(u.hosts)), now()
       FROM unnest($1::uuid[], $2::jsonb[], $3::jsonb[], $4::jsonb[]) AS u(incident_id, reasons, actions, hosts)
       ON CONFLICT (incident_id) DO UPDATE SET reasons = EXCLUDED.reasons, actions = EXCLUDED.actions, hosts = EXCLUDED.hosts, updated_at = now()`,
      [cs.map((c) => c.incidentId), cs.map((c) => JSON.stringify(c.reasons)), cs.map((c) => JSON.stringify(c.actions)), cs.map((c) => JSON.stringify(c.hosts))],
    );
  }

  find(id: string, em: EntityManager = this.ds.manager): Promise<NotificationEntity | null> {
    return UUID.test(id) ? em.getRepository(NotificationEntity).findOneBy({ id }) : Promise.resolve(null);
  }

  // find() of many in one read, answered in the order of `ids` (null for each missing or malformed).
  async findMany(ids: readonly string[], em: EntityManager = this.ds.manager): Promise<(NotificationEntity | null)[]> {
    const valid = [...new Set(ids.filter((id) => UUID.test(id)))];
    const rows = valid.length ? await em.getRepository(NotificationEntity).findBy({ id: In(valid) }) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  // Delivered mails (each notification at most once): DELIVERED with their attempt and when the
  // relay accepted them, in one statement.
  async markDelivered(em: EntityManager, ds: readonly { id: string; attempts: number; sentAt: Date }[]): Promise<void> {
    if (!ds.length) return;
    await em.query(
      `UPDATE incident.notification n SET status = 'DELIVERED', attempts = u.attempts, sent_at = u.sent_at, error = NULL, updated_at = now()
       FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS u(id, attempts, sent_at)
       WHERE n.id = u.id`,
      [ds.map((d) => d.id), ds.map((d) => d.attempts), ds.map((d) => d.sentAt)],
    );
  }

  async lockNotification(em: EntityManager, id: string): Promise<NotificationEntity | null> {
    if (!UUID.test(id)) return null;
    return em.getRepository(NotificationEntity).createQueryBuilder('n').setLock('pessimistic_write').where('n.id = :id', { id }).getOne();
  }

  async updateNotification(em: EntityManager, id: string, patch: Partial<Pick<NotificationEntity, 'status' | 'attempts' | 'sentAt' | 'error' | 'recipient' | 'contactName'>>): Promise<void> {
    await em.getRepository(NotificationEntity).update({ id }, { ...patch, updatedAt: new Date() });
  }

  // The notifications of the incidents the caller may see, oldest first.
  async forIncidents(scope: TenantScope, incidentIds: readonly string[]): Promise<NotificationEntity[]> {
    const ids = incidentIds.filter((id) => UUID.test(id));
    if (!ids.length) return [];
    const qb = this.ds.getRepository(NotificationEntity).createQueryBuilder('n').where('n.incident_id IN (:...ids)', { ids }).orderBy('n.created_at').addOrderBy('n.channel').addOrderBy('n.recipient');
    this.directory.applyScope(qb, scope, 'n.customer_id');
    return qb.getMany();
  }

  async insertCallTask(em: EntityManager, t: NewCallTask): Promise<CallTaskEntity> {
    const repo = em.getRepository(CallTaskEntity);
    const now = new Date();
    return repo.save(repo.create({ ...t, status: 'OPEN', currentIndex: 0, rounds: 0, log: [], closedAt: null, createdAt: now, updatedAt: now }));
  }

  callTaskByNotification(em: EntityManager, notificationId: string): Promise<CallTaskEntity | null> {
    return em.getRepository(CallTaskEntity).findOneBy({ notificationId });
  }

  async lockCallTask(em: EntityManager, id: string): Promise<CallTaskEntity | null> {
    if (!UUID.test(id)) return null;
    return em.getRepository(CallTaskEntity).createQueryBuilder('t').setLock('pessimistic_write').where('t.id = :id', { id }).getOne();
  }

  // Open tasks whose contact has had its time, locked; another replica's tick skips them.
  dueCallTasks(em: EntityManager, now: Date, limit: number): Promise<CallTaskEntity[]> {
    return em
      .getRepository(CallTaskEntity)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where(`t.status = 'OPEN' AND t.next_step_at <= :now`, { now })
      .orderBy('t.next_step_at')
      .limit(limit)
      .getMany();
  }

  openCallTasksFor(em: EntityManager, incidentId: string): Promise<CallTaskEntity[]> {
    return em.getRepository(CallTaskEntity).createQueryBuilder('t').setLock('pessimistic_write').where(`t.incident_id = :incidentId AND t.status = 'OPEN'`, { incidentId }).getMany();
  }

  async saveCallTask(em: EntityManager, t: CallTaskEntity, ...log: CallLogEntry[]): Promise<void> {
    t.log = [...t.log, ...log];
    t.updatedAt = new Date();
    await em.getRepository(CallTaskEntity).save(t);
  }

  // Staff's list: open ones by when the next step is due, or every task newest first.
  callTasks(onlyOpen: boolean, limit: number): Promise<CallTaskEntity[]> {
    const qb = this.ds.getRepository(CallTaskEntity).createQueryBuilder('t').limit(limit);
    if (onlyOpen) qb.where(`t.status = 'OPEN'`).orderBy('t.next_step_at');
    else qb.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC');
    return qb.getMany();
  }

  callTasksByIds(ids: readonly string[]): Promise<CallTaskEntity[]> {
    const valid = ids.filter((id) => UUID.test(id));
    return valid.length ? this.ds.getRepository(CallTaskEntity).findBy({ id: In(valid) }) : Promise.resolve([]);
  }

  async saveContext(em: EntityManager, incidentId: string, c: NotificationContext): Promise<void> {
    await em.query(
      `INSERT INTO incident.notification_context (incident_id, reasons, actions, hosts, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (incident_id) DO UPDATE SET reasons = EXCLUDED.reasons, actions = EXCLUDED.actions, hosts = EXCLUDED.hosts, updated_at = now()`,
      [incidentId, JSON.stringify(c.reasons), JSON.stringify(c.actions), c.hosts],
    );
  }

  async context(em: EntityManager, incidentId: string): Promise<NotificationContext | null> {
    const rows: NotificationContext[] = await em.query(`SELECT reasons, actions, hosts FROM incident.notification_context WHERE incident_id = $1`, [incidentId]);
    return rows[0] ?? null;
  }

  async insertVoiceCall(em: EntityManager, callSid: string, callTaskId: string, contactIndex: number, status: string): Promise<void> {
    await em.query(`INSERT INTO incident.voice_call (call_sid, call_task_id, contact_index, status) VALUES ($1, $2, $3, $4) ON CONFLICT (call_sid) DO NOTHING`, [callSid, callTaskId, contactIndex, status]);
  }

  // The call and its task, locked; null for a call this service did not place.
  async lockVoiceCall(em: EntityManager, callSid: string): Promise<{ callTaskId: string; contactIndex: number; status: string } | null> {
    const rows: { call_task_id: string; contact_index: number; status: string }[] = await em.query(`SELECT call_task_id, contact_index, status FROM incident.voice_call WHERE call_sid = $1 FOR UPDATE`, [callSid]);
    return rows[0] ? { callTaskId: rows[0].call_task_id, contactIndex: rows[0].contact_index, status: rows[0].status } : null;
  }

  async updateVoiceCall(em: EntityManager, callSid: string, status: string): Promise<void> {
    await em.query(`UPDATE incident.voice_call SET status = $2, updated_at = now() WHERE call_sid = $1`, [callSid, status]);
  }
}
