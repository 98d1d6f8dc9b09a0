import { counter } from '@kanshi/observability';
import type { SyslogDrop } from './syslog-delivery';

const dropped = counter('kanshi_ingest_dropped_total', 'Records intake let go to keep its memory bounded (see the warning logs for the sources)', ['transport', 'reason']);

const MESSAGES: Record<SyslogDrop['reason'], string> = {
  udp_overload: 'syslog records dropped: more arrived over UDP than could be stored, and UDP cannot slow a sender down',
  rejections_overload: 'refused syslog frames not quarantined: too many quarantine writes were pending',
  store_failed: 'syslog records lost: storing them failed on every retry (a TCP or TLS sender is disconnected, so it notices)',
};

interface Pending {
  drop: SyslogDrop;
  records: number;
  lastLoggedAt: number;
  timer: NodeJS.Timeout | null;
}

type Warn = (fields: Record<string, unknown>, message: string) => void;

// Records intake had to let go are never silent: each is counted in Prometheus by transport and
// reason, and each source gets a warning with the number dropped. A flood drops thousands a
// second, so one source is logged at most once per interval: the first drop at once, the rest
// summed into the next warning (at the latest one interval after the last drop, or at stop).
export class DropReporter {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly warn: Warn,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  report(drop: SyslogDrop): void {
    dropped.inc({ transport: drop.transport, reason: drop.reason }, drop.records);
    const key = `${drop.reason}\u0000${drop.remoteAddress}`;
    let p = this.pending.get(key);
    if (!p) {
      // bounded like every per-source table here: a flood from many addresses logs them anew
      if (this.pending.size >= 10_000) this.flush();
      p = { drop, records: 0, lastLoggedAt: -Infinity, timer: null };
      this.pending.set(key, p);
    }
    p.drop = drop;
    p.records += drop.records;
    const waited = this.now() - p.lastLoggedAt;
    if (waited >= this.intervalMs) this.log(key, p);
    else if (!p.timer) {
      const entry = p;
      entry.timer = setTimeout(() => this.log(key, entry), this.intervalMs - waited);
      entry.timer.unref();
    }
  }

  // What was dropped since the last warnings, logged now (at stop).
  flush(): void {
    for (const [key, p] of this.pending) this.log(key, p);
    this.pending.clear();
  }

  private log(key: string, p: Pending): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = null;
    if (p.records === 0) return;
    const { drop } = p;
    this.warn({ reason: drop.reason, transport: drop.transport, remoteAddress: drop.remoteAddress, sensorId: drop.sensor?.sensorId ?? null, records: p.records }, MESSAGES[drop.reason]);
    p.records = 0;
    p.lastLoggedAt = this.now();
    if (!this.pending.has(key)) this.pending.set(key, p);
  }
}
