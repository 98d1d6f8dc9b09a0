import { Module } from '@nestjs/common';
import { EntitlementsModule } from '../entitlements/entitlements.module';
import { AddressBindingsRepository } from './address-bindings.repository';
import { AddressBindingsResolver } from './address-bindings.resolver';
import { AddressBindingsService } from './address-bindings.service';
import { SensorDirectory } from './sensor-directory.service';
import { SensorVersions } from './sensor-versions.service';
import { SensorsRepository } from './sensors.repository';
import { CustomerSensorsResolver, SensorsResolver } from './sensors.resolver';
import { SensorsService } from './sensors.service';

@Module({
  imports: [EntitlementsModule],
  providers: [SensorsRepository, SensorsService, SensorDirectory, SensorVersions, SensorsResolver, CustomerSensorsResolver, AddressBindingsRepository, AddressBindingsService, AddressBindingsResolver],
  exports: [SensorsService, SensorsRepository, SensorDirectory, SensorVersions],
})
export class SensorsModule {}
