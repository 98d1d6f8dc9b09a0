import { stripeDueDate } from './stripe-sync.service';

describe('stripeDueDate', () => {
  it('is the end of the due day in Tokyo', () => {
    expect(stripeDueDate('2030-02-28', new Date('2030-01-01T00:00:00Z')).toISOString()).toBe('2030-02-28T14:59:59.000Z');
  });

  it('is a day from now when the due day is past or too close, since Stripe refuses past due dates', () => {
    const now = new Date('2030-03-05T00:00:00Z');
    expect(stripeDueDate('2030-02-28', now).toISOString()).toBe('2030-03-06T00:00:00.000Z');
  });
});
