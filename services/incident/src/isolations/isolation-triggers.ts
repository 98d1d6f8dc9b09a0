import { Injectable, OnModuleInit } from '@nestjs/common';
import { IncidentLifecycle } from '../incidents/incident-lifecycle';
import { IsolationsService } from './isolations.service';

// A decided severity may isolate an endpoint at once (the contract's prior agreement).
@Injectable()
export class IsolationTriggers implements OnModuleInit {
  constructor(
    private readonly lifecycle: IncidentLifecycle,
    private readonly service: IsolationsService,
  ) {}

  onModuleInit(): void {
    this.lifecycle.onSeverityDecided(
      async (em, incident, d) => {
        await this.service.onSeverityDecided(em, incident, d);
      },
      (em, decisions) => this.service.onSeverityDecidedMany(em, decisions),
    );
  }
}
