import { Module } from '@nestjs/common';
import { SensorsRepository } from './sensors.repository';
import { CustomerSensorsResolver, SensorsResolver } from './sensors.resolver';
import { SensorsService } from './sensors.service';

@Module({ providers: [SensorsRepository, SensorsService, SensorsResolver, CustomerSensorsResolver], exports: [SensorsService, SensorsRepository] })
export class SensorsModule {}
