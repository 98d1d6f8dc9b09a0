import { Module } from '@nestjs/common';
import { SensorsConsumer } from './sensors.consumer';
import { SensorsRepository } from './sensors.repository';

@Module({ providers: [SensorsRepository, SensorsConsumer], exports: [SensorsRepository] })
export class SensorsModule {}
