// What may go into a VendorExchange or a log: never a secret, a token, a password or a cookie.
const SECRET_KEYS = /("(?:access_token|refresh_token|token|secret|client_secret|password|api_key|apikey|jsessionid|authorization|cookie)"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\s]+)/gi;
const SECRET_PARAMS = /\b(client_secret|password|access_token|token|jsessionid)=([^&\s;]+)/gi;

// `text` with every value in `secrets` (longer than 3 characters) and every secret-named JSON
// field or form parameter replaced by `***`.
export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length > 3) out = out.split(s).join('***');
  }
  return out.replace(SECRET_KEYS, '$1"***"').replace(SECRET_PARAMS, '$1=***');
}

// A one-line excerpt of at most `max` characters.
export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
