import { Injectable } from '@nestjs/common';
import { AlertGrouperPort, GroupableAlert } from './alert-grouper.port';

// TO BE REPLACED AT MERGE by the groups module's grouper: every alert is its own group, whose id
// is the alert's id (stable, so a redelivery lands in the same "group").
@Injectable()
export class OneGroupPerAlert implements AlertGrouperPort {
  assign(_tx: unknown, alert: GroupableAlert): Promise<{ groupId: string; isNew: boolean }> {
    return Promise.resolve({ groupId: alert.alertId, isNew: true });
  }

  raiseSeverity(): Promise<void> {
    return Promise.resolve();
  }
}
