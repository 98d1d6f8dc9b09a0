// The cursor of a FireEye appliance's alert pull. The Web Services API selects alerts by the time
// they occurred; an alert can reach the appliance's list a little after that time, so every pull
// looks back `overlapMs` before now again and skips the alert ids it already handed on (kept in the
// cursor for that overlap): nothing late is missed, nothing is published twice.
export interface FireEyeWsCursor {
  // Start of the next query window (ISO 8601).
  from: string;
  // Alert ids already published that occurred at or after `from`.
  seen: string[];
}

export function readFireEyeCursor(raw: string | null, now: Date, lookbackMs: number): FireEyeWsCursor {
  if (raw) {
    try {
      const c = JSON.parse(raw) as FireEyeWsCursor;
      if (typeof c.from === 'string' && !Number.isNaN(Date.parse(c.from)) && Array.isArray(c.seen)) return { from: c.from, seen: c.seen.map(String) };
    } catch {
      // an unreadable cursor starts again from the look-back
    }
  }
  return { from: new Date(now.getTime() - lookbackMs).toISOString(), seen: [] };
}

// Whole hours from `from` to now (the API's duration unit), at least one.
export function windowHours(from: Date, now: Date): number {
  return Math.max(1, Math.ceil((now.getTime() - from.getTime()) / 3600_000) + 1);
}

// After a pull at `now` that returned `alerts` (id, occurred): which ones are new, and the next cursor.
export function advanceFireEyeCursor(cursor: FireEyeWsCursor, alerts: { id: string; occurred: string | null }[], now: Date, overlapMs: number): { fresh: Set<string>; next: FireEyeWsCursor } {
  const seen = new Set(cursor.seen);
  const fresh = new Set<string>();
  for (const a of alerts) if (!seen.has(a.id)) fresh.add(a.id);
  const from = new Date(Math.max(Date.parse(cursor.from), now.getTime() - overlapMs));
  const keep = new Set<string>();
  const occurred = new Map(alerts.map((a) => [a.id, a.occurred ? Date.parse(a.occurred) : now.getTime()]));
  for (const id of [...seen, ...fresh]) {
    const t = occurred.get(id);
    // an id no longer in the window's answer occurred before the new `from` (or was deleted)
    if (t !== undefined && t >= from.getTime()) keep.add(id);
  }
  return { fresh, next: { from: from.toISOString(), seen: [...keep] } };
}
