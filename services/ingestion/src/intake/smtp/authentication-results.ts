// Authentication-Results (RFC 8601) as a trusted relay writes it:
//   Authentication-Results: mx.soc.example; spf=pass smtp.mailfrom=example.jp; dkim=pass header.d=example.jp; dmarc=pass header.from=example.jp
// Only the topmost header counts: it is the one the last relay (ours) added; any below it came
// with the message and may be forged. A relay is expected to remove headers carrying its own
// authserv-id from incoming mail, as RFC 8601 asks.

/** The authserv-id and the method results of one header value. */
export function parseAuthenticationResults(value: string): { authservId: string; results: Map<string, string> } {
  // comments in parentheses carry nothing we need
  const text = value.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  const [first, ...rest] = text.split(';');
  const authservId = (first ?? '').trim().split(' ')[0].toLowerCase();
  const results = new Map<string, string>();
  for (const part of rest) {
    const m = /^\s*([a-z0-9-]+)\s*=\s*([a-z]+)/i.exec(part);
    if (m && !results.has(m[1].toLowerCase())) results.set(m[1].toLowerCase(), m[2].toLowerCase());
  }
  return { authservId, results };
}

/** Whether the topmost Authentication-Results is a trusted relay's, with an SPF, DKIM or DMARC pass. */
export function senderAuthenticated(headerLines: ReadonlyArray<{ key: string; line: string }>, trustedAuthservIds: readonly string[]): boolean {
  const top = headerLines.find((h) => h.key.toLowerCase() === 'authentication-results');
  if (!top) return false;
  const value = top.line.slice(top.line.indexOf(':') + 1);
  const { authservId, results } = parseAuthenticationResults(value);
  if (!trustedAuthservIds.includes(authservId)) return false;
  return ['dmarc', 'dkim', 'spf'].some((method) => results.get(method) === 'pass');
}
