import { createHash, createHmac } from 'node:crypto';

// AWS Signature Version 4 for S3 requests signed in the Authorization header, as AWS documents it
// ("Signature Calculations for the Authorization Header: Transferring Payload in a Single Chunk"):
// canonical request -> string to sign -> signing key (HMAC chain over date, region, service) ->
// signature. Node's crypto only; no SDK.

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  // `s3` for S3.
  service: string;
}

export interface SigV4Request {
  method: string;
  // The request's URL (its host, path and query are signed).
  url: URL;
  // Headers to sign besides host, x-amz-date and x-amz-content-sha256 (names any case).
  headers?: Record<string, string>;
  // Hex SHA-256 of the payload (EMPTY_SHA256 for none).
  payloadSha256: string;
  now: Date;
}

export interface SignedHeaders {
  // Every header to send: what was given, plus host, x-amz-date, x-amz-content-sha256 and Authorization.
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

// RFC 3986 unreserved characters stay; everything else is %XX (upper-case hex), '/' too unless kept.
export function awsUriEncode(value: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(ch) || (keepSlash && ch === '/')) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// The path as S3 wants it in the canonical request: each segment decoded once, then encoded once.
export function canonicalUri(pathname: string): string {
  return (
    pathname
      .split('/')
      .map((segment) => awsUriEncode(safeDecode(segment), false))
      .join('/') || '/'
  );
}

export function canonicalQuery(search: string): string {
  const pairs = [...new URLSearchParams(search)].map(([k, v]) => [awsUriEncode(k, false), awsUriEncode(v, false)] as const);
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

export function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

export function signRequest(creds: SigV4Credentials, req: SigV4Request): SignedHeaders {
  const stamp = amzDate(req.now);
  const date = stamp.slice(0, 8);
  const scope = `${date}/${creds.region}/${creds.service}/aws4_request`;
  const toSign: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers ?? {})) toSign[name.toLowerCase()] = value;
  toSign.host = req.url.host;
  toSign['x-amz-date'] = stamp;
  toSign['x-amz-content-sha256'] = req.payloadSha256;
  const names = Object.keys(toSign).sort();
  const canonicalHeaders = names.map((n) => `${n}:${toSign[n].trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [req.method.toUpperCase(), canonicalUri(req.url.pathname), canonicalQuery(req.url.search), canonicalHeaders, signedHeaders, req.payloadSha256].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac('sha256', signingKey(creds.secretAccessKey, date, creds.region, creds.service)).update(stringToSign, 'utf8').digest('hex');
  const headers: Record<string, string> = { ...toSign };
  // fetch sets Host itself from the URL (the same value that was signed).
  delete headers.host;
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return { headers, canonicalRequest, stringToSign, signature };
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
