import { Injectable, OnModuleInit } from '@nestjs/common';
import { IsolationReleaseRequested, IsolationRequested } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { IsolationStateMachine } from './isolation-state-machine';

// The incident service's commands. The inbox makes a redelivered event a no-op; a repeated
// command under the same isolation id is one too (the state machine records it once).
@Injectable()
export class IsolationsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly machine: IsolationStateMachine,
  ) {}

  onModuleInit(): void {
    // A burst of commands (an outbreak) is recorded in few transactions: one per batch.
    this.host.registerBatch({
      durable: 'endpoint-response-isolation-requested',
      event: IsolationRequested,
      maxBatch: 100,
      handleBatch: async (events, { em }) => {
        for (const e of events) await this.machine.request(em, e);
      },
    });
    this.host.register({ durable: 'endpoint-response-isolation-release-requested', event: IsolationReleaseRequested, handle: (e, { em }) => this.machine.requestRelease(em, e) });
  }
}
