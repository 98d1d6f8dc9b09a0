import { advanceFireEyeCursor, readFireEyeCursor, windowHours } from './fireeye-ws-cursor';

const now = new Date('2026-12-02T14:00:00Z');

describe('FireEye Web Services cursor', () => {
  it('starts from the look-back when there is no (or an unreadable) cursor', () => {
    expect(readFireEyeCursor(null, now, 3600_000)).toEqual({ from: '2026-12-02T13:00:00.000Z', seen: [] });
    expect(readFireEyeCursor('{not json', now, 3600_000).from).toBe('2026-12-02T13:00:00.000Z');
  });

  it('publishes only ids it has not seen, and keeps the ids inside the overlap', () => {
    const cursor = { from: '2026-12-02T13:00:00.000Z', seen: ['1'] };
    const alerts = [
      { id: '1', occurred: '2026-12-02T13:55:00Z' },
      { id: '2', occurred: '2026-12-02T13:10:00Z' },
      { id: '3', occurred: '2026-12-02T13:58:00Z' },
    ];
    const { fresh, next } = advanceFireEyeCursor(cursor, alerts, now, 15 * 60_000);
    expect([...fresh].sort()).toEqual(['2', '3']);
    expect(next.from).toBe('2026-12-02T13:45:00.000Z');
    expect(next.seen.sort()).toEqual(['1', '3']);
    // the next pull sees 1 and 3 again in its window: nothing new
    expect([...advanceFireEyeCursor(next, [alerts[0], alerts[2]], new Date('2026-12-02T14:01:00Z'), 15 * 60_000).fresh]).toEqual([]);
  });

  it('asks for whole hours covering the window', () => {
    expect(windowHours(new Date('2026-12-02T13:45:00Z'), now)).toBe(2);
    expect(windowHours(new Date('2026-12-01T14:00:00Z'), now)).toBe(25);
  });
});
