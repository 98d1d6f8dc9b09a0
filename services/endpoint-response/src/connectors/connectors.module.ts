import { DynamicModule, Global, Module } from '@nestjs/common';
import { EdrConnectorFactory } from './edr-connector.factory';
import { UnconfiguredEdrConnectorFactory } from './unconfigured-edr-connector.factory';

// The EDR connectors every module that talks to a customer's EDR uses (isolations, inventory).
// `factory`: a test seam (a spec's own connectors); by default the configured vendor adapters.
@Global()
@Module({})
export class ConnectorsModule {
  static forRoot(factory?: EdrConnectorFactory): DynamicModule {
    return {
      module: ConnectorsModule,
      // until the vendor adapters are wired, no customer has a connector
      providers: [factory ? { provide: EdrConnectorFactory, useValue: factory } : { provide: EdrConnectorFactory, useClass: UnconfiguredEdrConnectorFactory }],
      exports: [EdrConnectorFactory],
    };
  }
}
