// Errors that say PostgreSQL could not be reached or ended the connection (a restart, a failover),
// as opposed to errors of the event or the handler. An event that met one is fine: it waits and is
// tried again however long the outage lasts, and never counts towards being parked.
const CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '08007', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const MESSAGES =
  /Connection terminated|has encountered a connection error and is not queryable|Query runner already released|connection provided by a query runner was already released|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/;

export function databaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}
