// A local stand-in for an S3-compatible object store, on the vendor-server kit: PutObject,
// GetObject and HeadObject (https://docs.aws.amazon.com/AmazonS3/latest/API/), path-style
// (`/bucket/key`) or virtual-hosted (`bucket.host/key`), authenticated with AWS Signature
// Version 4 in the Authorization header. Every request's signature is VERIFIED the way AWS
// documents it (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html):
// the canonical request is rebuilt from what arrived (method, URI-encoded path, sorted query,
// the signed headers' values, x-amz-content-sha256), then the string to sign over
// AWS4-HMAC-SHA256 / x-amz-date / scope / its SHA-256, the signing key by the HMAC chain
// "AWS4"+secret -> date -> region -> s3 -> aws4_request, and the signature compared. The payload
// is checked against x-amz-content-sha256 and Content-MD5. Refusals are S3's documented XML
// error bodies with S3's status codes (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html):
// AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch, AuthorizationHeaderMalformed,
// RequestTimeTooSkewed, XAmzContentSHA256Mismatch, BadDigest, InvalidDigest, NoSuchBucket, NoSuchKey.
// This verifier is written apart from any client it tests, so a client's signing bug cannot hide.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { VendorRequest, VendorResponse, VendorServer } from './vendor-server/vendor.server';

export const FAKE_S3_ACCESS_KEY_ID = 'AKIAKANSHIFAKES3TEST';
export const FAKE_S3_SECRET_ACCESS_KEY = 'kanshi/fake/s3/secret/key/0000000000000000';

export interface FakeS3Object {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
  metadata: Record<string, string>;
}

export type FakeS3Action = 's3:PutObject' | 's3:GetObject';

export interface FakeS3Options {
  region?: string;
  // Buckets that exist from the start.
  buckets?: string[];
  // Access key id -> secret; FAKE_S3_ACCESS_KEY_ID / FAKE_S3_SECRET_ACCESS_KEY by default.
  keys?: Record<string, string>;
  // Largest object accepted; 64 MiB by default.
  maxObjectBytes?: number;
  host?: string;
  port?: number;
  now?: () => Date;
}

const UNSIGNED = 'UNSIGNED-PAYLOAD';
const SKEW_MS = 15 * 60_000;

export class FakeS3Server {
  readonly region: string;
  private readonly server: VendorServer<Record<string, string | string[]>, undefined>;
  private readonly buckets = new Map<string, Map<string, FakeS3Object>>();
  private readonly keys = new Map<string, string>();
  private readonly denied = new Map<string, Set<FakeS3Action>>();

  constructor(private readonly options: FakeS3Options = {}) {
    this.region = options.region ?? 'us-east-1';
    for (const b of options.buckets ?? []) this.createBucket(b);
    for (const [id, secret] of Object.entries(options.keys ?? { [FAKE_S3_ACCESS_KEY_ID]: FAKE_S3_SECRET_ACCESS_KEY })) this.keys.set(id, secret);
    this.server = new VendorServer({
      name: 'FakeS3',
      host: options.host,
      port: options.port,
      idempotency: false,
      maxBodyBytes: options.maxObjectBytes ?? 64 * 1024 * 1024,
      // Bodies are objects: kept as bytes (rawBytes), never parsed.
      parseBody: () => undefined,
      responseHeaders: (req) => ({ 'x-amz-request-id': `FAKE${req.seq.toString(16).toUpperCase().padStart(12, '0')}`, Server: 'FakeS3' }),
      before: [(req) => this.authenticate(req)],
      notFound: (req) => this.route(req),
    });
  }

  // ----- lifecycle -----

  async start(): Promise<{ url: string }> {
    await this.server.start();
    return { url: this.url };
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get url(): string {
    return this.server.url;
  }

  get requests(): VendorRequest<Record<string, string | string[]>, undefined>[] {
    return this.server.requests;
  }

  get vendor(): VendorServer<Record<string, string | string[]>, undefined> {
    return this.server;
  }

  // ----- state -----

  createBucket(name: string): void {
    if (!this.buckets.has(name)) this.buckets.set(name, new Map());
  }

  // Sets (or replaces) the secret the store holds for a key id, e.g. after a rotation.
  setKey(accessKeyId: string, secretAccessKey: string): void {
    this.keys.set(accessKeyId, secretAccessKey);
  }

  // The key's policy refuses these actions (AccessDenied) until allow().
  deny(accessKeyId: string, ...actions: FakeS3Action[]): void {
    this.denied.set(accessKeyId, new Set([...(this.denied.get(accessKeyId) ?? []), ...actions]));
  }

  allow(accessKeyId: string): void {
    this.denied.delete(accessKeyId);
  }

  object(bucket: string, key: string): FakeS3Object | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  objectKeys(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])];
  }

  // Someone with access to the bucket changes an object behind the service's back.
  tamper(bucket: string, key: string, body: Buffer): void {
    const o = this.object(bucket, key);
    if (!o) throw new Error(`FakeS3: no object ${bucket}/${key}`);
    o.body = body;
  }

  deleteObject(bucket: string, key: string): void {
    this.buckets.get(bucket)?.delete(key);
  }

  // ----- S3 -----

  // Which bucket and key a request names, path-style or virtual-hosted.
  private target(req: VendorRequest<unknown, unknown>): { bucket: string; key: string; resource: string } {
    const host = (req.headers.host ?? '').split(':')[0];
    const segments = req.path.split('/').slice(1).map(decode);
    const virtual = [...this.buckets.keys()].find((b) => host === `${b}.${this.options.host ?? '127.0.0.1'}` || host.startsWith(`${b}.`));
    const bucket = virtual ?? segments.shift() ?? '';
    const key = segments.join('/');
    return { bucket, key, resource: `/${bucket}/${key}` };
  }

  private route(req: VendorRequest<unknown, unknown>): VendorResponse {
    const { bucket, key, resource } = this.target(req);
    const objects = this.buckets.get(bucket);
    if (!objects) return s3Error(req, 404, 'NoSuchBucket', 'The specified bucket does not exist', resource, { BucketName: bucket });
    if (!key) return s3Error(req, 501, 'NotImplemented', 'Only PutObject, GetObject and HeadObject are implemented by FakeS3', resource);
    const accessKeyId = this.accessKeyOf(req);
    switch (req.method) {
      case 'PUT': {
        if (this.denied.get(accessKeyId)?.has('s3:PutObject')) return s3Error(req, 403, 'AccessDenied', 'Access Denied', resource);
        const body = req.rawBytes;
        const md5 = req.headers['content-md5'];
        if (md5 !== undefined) {
          const given = Buffer.from(md5, 'base64');
          if (given.length !== 16 || given.toString('base64') !== md5) return s3Error(req, 400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', resource);
          if (!given.equals(createHash('md5').update(body).digest())) return s3Error(req, 400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', resource);
        }
        const checksum = req.headers['x-amz-checksum-sha256'];
        if (checksum !== undefined && checksum !== createHash('sha256').update(body).digest('base64')) {
          return s3Error(req, 400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.', resource);
        }
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        const metadata: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) if (name.startsWith('x-amz-meta-')) metadata[name.slice(11)] = value;
        objects.set(key, { body: Buffer.from(body), contentType: req.headers['content-type'] ?? 'binary/octet-stream', etag, lastModified: this.now(), metadata });
        return { status: 200, text: '', headers: { ETag: etag, 'Content-Type': 'text/plain', ...(checksum ? { 'x-amz-checksum-sha256': checksum } : {}) } };
      }
      case 'GET':
      case 'HEAD': {
        if (this.denied.get(accessKeyId)?.has('s3:GetObject')) return s3Error(req, 403, 'AccessDenied', 'Access Denied', resource);
        const o = objects.get(key);
        if (!o) return s3Error(req, 404, 'NoSuchKey', 'The specified key does not exist.', resource, { Key: key });
        const meta = Object.fromEntries(Object.entries(o.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v]));
        return { status: 200, bytes: o.body, headers: { 'Content-Type': o.contentType, ETag: o.etag, 'Last-Modified': o.lastModified.toUTCString(), 'Accept-Ranges': 'bytes', ...meta } };
      }
      default:
        return s3Error(req, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', resource, { Method: req.method, ResourceType: 'OBJECT' });
    }
  }

  private accessKeyOf(req: VendorRequest<unknown, unknown>): string {
    return /Credential=([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  // SigV4 in the Authorization header, checked as AWS documents it.
  private authenticate(req: VendorRequest<unknown, unknown>): VendorResponse | undefined {
    const { resource } = this.target(req);
    const header = req.headers.authorization;
    if (!header) return s3Error(req, 403, 'AccessDenied', 'Access Denied', resource);
    const m = /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(header);
    if (!m) return s3Error(req, 400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed; it must be AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/s3/aws4_request, SignedHeaders=..., Signature=...', resource);
    const [, accessKeyId, date, region, service, signedHeaders, signature] = m;
    if (service !== 's3') return s3Error(req, 400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; incorrect service "${service}". This endpoint belongs to "s3".`, resource);
    if (region !== this.region) return s3Error(req, 400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${region}' is wrong; expecting '${this.region}'`, resource, { Region: this.region });
    const secret = this.keys.get(accessKeyId);
    if (secret === undefined) return s3Error(req, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', resource, { AWSAccessKeyId: accessKeyId });
    const stamp = req.headers['x-amz-date'];
    if (!stamp || !/^\d{8}T\d{6}Z$/.test(stamp)) return s3Error(req, 403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', resource);
    if (stamp.slice(0, 8) !== date) return s3Error(req, 400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date: ${date}.`, resource);
    const at = Date.UTC(+stamp.slice(0, 4), +stamp.slice(4, 6) - 1, +stamp.slice(6, 8), +stamp.slice(9, 11), +stamp.slice(11, 13), +stamp.slice(13, 15));
    if (Math.abs(at - this.now().getTime()) > SKEW_MS) {
      return s3Error(req, 403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', resource, { RequestTime: stamp, ServerTime: this.now().toISOString(), MaxAllowedSkewMilliseconds: String(SKEW_MS) });
    }
    const names = signedHeaders.split(';');
    if (!names.includes('host')) return s3Error(req, 400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed; host must be a signed header', resource);
    const payloadHash = req.headers['x-amz-content-sha256'];
    if (!payloadHash) return s3Error(req, 400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', resource);
    for (const required of ['x-amz-date', 'x-amz-content-sha256']) {
      if (!names.includes(required)) return s3Error(req, 400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${required} must be a signed header`, resource);
    }
    if (payloadHash !== UNSIGNED) {
      const actual = createHash('sha256').update(req.rawBytes).digest('hex');
      if (payloadHash !== actual) {
        return s3Error(req, 400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", resource, { ClientComputedContentSHA256: payloadHash, S3ComputedContentSHA256: actual });
      }
    }
    // The canonical request, rebuilt from what arrived.
    const canonicalHeaders = names.map((n) => `${n}:${(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
    const canonicalRequest = [req.method, canonicalPath(req.path), canonicalQueryString(req.rawQuery), canonicalHeaders, signedHeaders, payloadHash].join('\n');
    const scope = `${date}/${region}/s3/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
    let key: Buffer = createHmac('sha256', `AWS4${secret}`).update(date).digest();
    for (const part of [region, 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
      return s3Error(req, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', resource, {
        AWSAccessKeyId: accessKeyId,
        StringToSign: stringToSign,
        SignatureProvided: signature,
        CanonicalRequest: canonicalRequest,
      });
    }
    return undefined;
  }
}

// S3's error body: <Error><Code/><Message/><Resource/><RequestId/>...</Error>; HEAD answers carry no body.
function s3Error(req: VendorRequest<unknown, unknown>, status: number, code: string, message: string, resource: string, extra: Record<string, string> = {}): VendorResponse {
  if (req.method === 'HEAD') return { status, bytes: Buffer.alloc(0), headers: { 'Content-Type': 'application/xml' } };
  const requestId = `FAKE${req.seq.toString(16).toUpperCase().padStart(12, '0')}`;
  const fields = { Code: code, Message: message, ...extra, Resource: resource, RequestId: requestId, HostId: randomBytes(24).toString('base64') };
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${Object.entries(fields)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('')}</Error>`;
  return { status, text: xml, headers: { 'Content-Type': 'application/xml' } };
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

// AWS's URI encoding: unreserved characters as they are, every other byte %XX upper-case.
function uriEncode(s: string, slash: boolean): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9_.~-]/.test(c) || (slash && c === '/') ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function canonicalPath(path: string): string {
  return path === '' ? '/' : uriEncode(decode(path), true);
}

function canonicalQueryString(raw: string): string {
  if (!raw) return '';
  return raw
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      const k = decode((i === -1 ? pair : pair.slice(0, i)).replace(/\+/g, ' '));
      const v = i === -1 ? '' : decode(pair.slice(i + 1).replace(/\+/g, ' '));
      return [uriEncode(k, false), uriEncode(v, false)];
    })
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}
