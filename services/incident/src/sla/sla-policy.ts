import { BusinessCalendar } from '@kanshi/calendar';
import { PlanCode, ServiceHours, SocSeverity } from '@kanshi/events';

const MINUTE = 60_000;
export const ANALYSIS_MINUTES = 30;
export const FIRST_REPORT_MINUTES = 60;

// The contract facts the clocks depend on; both null when the customer has no known contract
// (then the strictest rule applies: 30 minutes around the clock, no report clocks).
export interface SlaTerms {
  plan: PlanCode | null;
  serviceHours: ServiceHours | null;
}

// The seed's service levels as due times, on the provider's business calendar (weekends, Japanese
// public holidays and the year-end closure are not business days; hours 9:00-17:30 Asia/Tokyo).
export class SlaPolicy {
  constructor(private readonly calendar: BusinessCalendar) {}

  // Analysis: on the business-hours plan, an alert arriving within business hours is due 30 minutes
  // later (even past 17:30); one arriving outside them is due at 17:30 of the next business day
  // after the day it arrived (翌営業日内). Every other plan: 30 minutes, around the clock.
  analysisDueAt(arrivedAt: Date, terms: SlaTerms): Date {
    if (terms.serviceHours === 'BUSINESS_HOURS' && !this.calendar.isWithinBusinessHours(arrivedAt)) {
      return this.calendar.endOfNextBusinessDay(arrivedAt);
    }
    return new Date(arrivedAt.getTime() + ANALYSIS_MINUTES * MINUTE);
  }

  // MDR reports run from the analyst's severity decision, for an incident to notify (HIGH, MEDIUM).
  reportClocksApply(terms: SlaTerms, severity: SocSeverity): boolean {
    return terms.plan === 'MDR' && severity !== 'LOW';
  }

  // The quick first report: 60 minutes after the severity decision.
  firstReportDueAt(decidedAt: Date): Date {
    return new Date(decidedAt.getTime() + FIRST_REPORT_MINUTES * MINUTE);
  }

  // The detailed report: 17:30 of the next business day after the severity decision.
  detailedReportDueAt(decidedAt: Date): Date {
    return this.calendar.endOfNextBusinessDay(decidedAt);
  }
}
