import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { authorize, Principal } from '@kanshi/auth';
import { Clock } from '@kanshi/calendar';
import { TenantDirectory } from '@kanshi/platform';
import { IncidentEntity } from '../incidents/incident.entity';
import { IncidentOpener } from '../incidents/incident-opener';
import { IncidentsPermissions } from '../incidents/incidents.permissions';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { IncidentWriter } from '../incidents/incident-writer';
import { IntakeError } from './intake.errors';
import { IntakeRepository } from './intake.repository';
import { LowVerdictsArgs } from './low-verdicts.args';
import { RaiseIncidentArgs } from './raise-incident.args';

@Injectable()
export class IntakeService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: IntakeRepository,
    private readonly incidents: IncidentsRepository,
    private readonly directory: TenantDirectory,
    private readonly opener: IncidentOpener,
    private readonly writer: IncidentWriter,
    private readonly clock: Clock,
  ) {}

  // An analyst raises an incident from a LOW verdict (which opened none); the severity stays
  // provisional until confirmSeverity.
  async raise(principal: Principal, args: RaiseIncidentArgs): Promise<IncidentEntity> {
    authorize(principal, IncidentsPermissions.openIncidents);
    return this.ds.transaction(async (em) => {
      const low = await this.repo.low(em, args.verdictId, true);
      const visible = low && (await this.directory.visibleCustomerOrThrow(principal, low.customerId).then(() => true, () => false));
      if (!low || !visible) throw new IntakeError('VERDICT_NOT_FOUND', `no LOW verdict ${args.verdictId}`, 'verdictId');
      if (low.raisedIncidentId) throw new IntakeError('ALREADY_RAISED', `verdict ${args.verdictId} already has incident ${low.raisedIncidentId}`, 'verdictId');
      const now = this.clock.now();
      const incident = await this.opener.open(em, {
        customerId: low.customerId,
        kind: 'SECURITY',
        severity: args.severity ?? 'LOW',
        title: low.title,
        openedBy: principal.subject,
        groupId: null,
        sensorId: low.sensorId,
        arrivedAt: now,
        openingNote: `raised from LOW verdict ${low.verdictId}: ${args.reason}`,
      });
      await this.incidents.upsertVerdict(em, { verdictId: low.verdictId, incidentId: incident.id, severity: 'LOW', alertIds: low.alertIds }, low.decidedAt.toISOString());
      await this.repo.markRaised(em, low.verdictId, incident.id);
      await this.writer.publishSnapshot(em, incident);
      return incident;
    });
  }

  // How many LOW verdicts a customer had in a period (the monthly statistics).
  async lowCount(principal: Principal, args: LowVerdictsArgs): Promise<number> {
    authorize(principal, IncidentsPermissions.readIncidents);
    await this.directory.visibleCustomerOrThrow(principal, args.customerId);
    return this.repo.lowCount(args.customerId, new Date(args.from), new Date(args.to));
  }
}
