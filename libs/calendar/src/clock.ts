import { CalendarDate, toTokyoDate } from './tokyo-date';

// A service's source of "now" where a decision depends on it (a quote's validity, a billing
// period's close, an alert group's window), so tests can put it at the moment they are about.
// Services provide it under this class as the DI token.
export abstract class Clock {
  abstract now(): Date;

  // Today's date in Asia/Tokyo, where contracts and invoices are dated.
  today(): CalendarDate {
    return toTokyoDate(this.now(), 'now');
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

// A clock tests move by hand.
export class ManualClock extends Clock {
  constructor(private current: Date = new Date()) {
    super();
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(at: Date | string): void {
    this.current = typeof at === 'string' ? new Date(at) : new Date(at.getTime());
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
