import { CalendarDate, toTokyoDate } from '@kanshi/calendar';

// The service's only source of "now", so tests can put a quote's validity, an activation or a
// billing period's close at the dates they are about.
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
}
