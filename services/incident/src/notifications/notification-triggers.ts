import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@kanshi/calendar';
import { IncidentEntity } from '../incidents/incident.entity';
import { IncidentLifecycle, SeverityDecision as CoreDecision } from '../incidents/incident-lifecycle';
import { CallTasksService } from './call-tasks.service';
import { NotificationContext, NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { SeverityDecision } from './severity-decision';

// What the core's lifecycle hooks start: a decided severity notifies the customer (with the
// deciding verdict's reasons and actions, or the last ones kept for the incident); an
// acknowledgement ends the phone calls.
@Injectable()
export class NotificationTriggers implements OnModuleInit {
  constructor(
    private readonly lifecycle: IncidentLifecycle,
    private readonly notifications: NotificationsService,
    private readonly calls: CallTasksService,
    private readonly repo: NotificationsRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.lifecycle.onSeverityDecided(
      (em, incident, d) => this.decided(em, incident, d),
      (em, decisions) => this.decidedMany(em, decisions),
    );
    this.lifecycle.onAcknowledged((em, incident, actor, at) => this.calls.onAcknowledged(em, incident.id, actor, at));
  }

  async decided(em: EntityManager, incident: IncidentEntity, d: CoreDecision): Promise<void> {
    let context: NotificationContext | null;
    if (d.verdict) {
      context = contextOf(d.verdict);
      await this.repo.saveContext(em, incident.id, context);
    } else {
      context = (await this.repo.context(em, incident.id)) ?? fromDescription(incident.description);
    }
    await this.notifications.onSeverityDecided(em, { incidentId: incident.id, customerId: incident.customerId, severity: d.severity, decidedAt: this.clock.now(), decidedBy: d.actor, title: incident.title, ...context });
  }

  // decided() of a batch's decisions: each verdict's context kept (the last one per incident), the
  // notifications of all of them at once. A decision without a verdict reads its incident's context.
  async decidedMany(em: EntityManager, decisions: readonly { incident: IncidentEntity; decision: CoreDecision }[]): Promise<void> {
    const contexts = new Map<string, NotificationContext & { incidentId: string }>();
    const out: SeverityDecision[] = [];
    const now = this.clock.now();
    for (const { incident, decision: d } of decisions) {
      let context: NotificationContext;
      if (d.verdict) {
        context = contextOf(d.verdict);
        contexts.set(incident.id, { incidentId: incident.id, ...context });
      } else {
        context = contexts.get(incident.id) ?? (await this.repo.context(em, incident.id)) ?? fromDescription(incident.description);
      }
      out.push({ incidentId: incident.id, customerId: incident.customerId, severity: d.severity, decidedAt: now, decidedBy: d.actor, title: incident.title, ...context });
    }
    await this.repo.saveContexts(em, [...contexts.values()]);
    await this.notifications.onSeverityDecidedMany(em, out);
  }
}

// What the customer is told of a verdict: its reasons and countermeasures, and the hosts involved.
function contextOf(v: NonNullable<CoreDecision['verdict']>): NotificationContext {
  return {
    reasons: v.reasons.map((r) => ({ text: r.text, textJa: r.textJa })),
    actions: v.recommendedActions.map((a) => ({ text: a.text, textJa: a.textJa })),
    hosts: [...new Set(v.endpoints.map((e) => e.hostName ?? e.ip).filter((h): h is string => Boolean(h)))],
  };
}

// An incident opened by hand has only its description: its lines are the reasons, "Action: "
// lines the countermeasures (in the language they were written in).
function fromDescription(description: string): NotificationContext {
  const lines = description
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const actions = lines.filter((l) => l.startsWith('Action: ')).map((l) => l.slice('Action: '.length));
  const reasons = lines.filter((l) => !l.startsWith('Action: '));
  return { reasons: reasons.map((t) => ({ text: t, textJa: t })), actions: actions.map((t) => ({ text: t, textJa: t })), hosts: [] };
}
