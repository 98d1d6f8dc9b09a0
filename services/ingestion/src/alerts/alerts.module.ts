import { Module } from '@nestjs/common';
import { SensorsModule } from '../sensors/sensors.module';
import { StorageModule } from '../storage.module';
import { AlertsResolver } from './alerts.resolver';
import { AlertsService } from './alerts.service';

@Module({ imports: [StorageModule, SensorsModule], providers: [AlertsService, AlertsResolver] })
export class AlertsModule {}
