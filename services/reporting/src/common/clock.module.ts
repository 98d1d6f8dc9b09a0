import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '@kanshi/calendar';

// The service's one source of "now" (which month is in progress, which one just closed); tests
// pass a ManualClock.
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return { module: ClockModule, providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}
