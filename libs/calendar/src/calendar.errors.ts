import { defineDomainErrors } from '@kanshi/errors';

// A date a caller gave that is not one: the same `BAD_INPUT` reason (and field) clients saw when
// this code lived in contracts.
export const CalendarError = defineDomainErrors('CalendarError', { BAD_INPUT: 'BAD_USER_INPUT' });

// The holiday data has no entry for this year. Not a client's mistake: the package needs an update
// (or the date is absurd), so it surfaces as an internal error, is logged, and a job retries.
export class HolidayDataMissingError extends Error {
  constructor(
    readonly year: number,
    readonly covered: { first: number; last: number },
  ) {
    super(
      `no Japanese public holiday data for ${year}: @holiday-jp/holiday_jp covers ${covered.first}-${covered.last}; ` +
        'update the package before relying on business days in that year',
    );
    this.name = 'HolidayDataMissingError';
  }
}
