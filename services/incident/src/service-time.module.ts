import { DynamicModule, Global, Module } from '@nestjs/common';
import { BusinessCalendar, Clock, SystemClock } from '@kanshi/calendar';
import { IncidentConfig } from './config';

// The service's "now" (a ManualClock in tests) and business calendar (YEAR_END_CLOSURE from the
// config), for every module: SLA clocks, the roster, the timeline.
@Global()
@Module({})
export class ServiceTimeModule {
  static forRoot(config: IncidentConfig, clock?: Clock): DynamicModule {
    return {
      module: ServiceTimeModule,
      providers: [
        { provide: Clock, useValue: clock ?? new SystemClock() },
        { provide: BusinessCalendar, useValue: new BusinessCalendar({ yearEndClosure: config.YEAR_END_CLOSURE }) },
      ],
      exports: [Clock, BusinessCalendar],
    };
  }
}
