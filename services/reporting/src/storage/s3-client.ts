import { createHash } from 'node:crypto';
import { EMPTY_SHA256, sha256Hex, signRequest } from './sigv4';

export interface S3ClientOptions {
  // http(s)://host[:port] of the S3-compatible store (https://s3.ap-northeast-1.amazonaws.com, http://minio:9000).
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  // endpoint/bucket/key (MinIO and most self-hosted stores); false: bucket.endpoint/key (AWS's virtual-hosted style).
  pathStyle: boolean;
  // One request's limit.
  timeoutMs?: number;
  now?: () => Date;
}

export type S3Operation = 'PutObject' | 'GetObject' | 'HeadObject';

// What the store answered when it refused a request: its S3 error code (NoSuchKey,
// SignatureDoesNotMatch, AccessDenied, ...) or, for a network failure, UNREACHABLE.
export class S3Error extends Error {
  constructor(
    readonly operation: S3Operation,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'S3Error';
  }
}

// What an operator should look at for the codes a misconfiguration gives.
const HINTS: Record<string, string> = {
  SignatureDoesNotMatch: 'check REPORT_S3_SECRET_ACCESS_KEY (and REPORT_S3_REGION)',
  InvalidAccessKeyId: 'check REPORT_S3_ACCESS_KEY_ID',
  AccessDenied: 'the key REPORT_S3_ACCESS_KEY_ID is not allowed to do this in the bucket; check its policy',
  NoSuchBucket: 'check REPORT_S3_BUCKET',
  AuthorizationHeaderMalformed: 'check REPORT_S3_REGION',
  RequestTimeTooSkewed: "this machine's clock is more than 15 minutes off the store's",
};

// The three S3 REST calls reporting needs (PutObject, GetObject, HeadObject), signed with AWS
// Signature Version 4 over node's fetch. Uploads carry x-amz-content-sha256 (the store checks the
// payload against it) and Content-MD5 (the store refuses a body that changed on the way: BadDigest).
export class S3Client {
  private readonly base: URL;

  constructor(private readonly opts: S3ClientOptions) {
    this.base = new URL(opts.endpoint);
    if (!opts.pathStyle) this.base.hostname = `${opts.bucket}.${this.base.hostname}`;
  }

  urlOf(key: string): URL {
    const url = new URL(this.base.toString());
    const prefix = url.pathname.replace(/\/+$/, '');
    const encodedKey = key.split('/').map(encodeURIComponent).join('/');
    url.pathname = this.opts.pathStyle ? `${prefix}/${encodeURIComponent(this.opts.bucket)}/${encodedKey}` : `${prefix}/${encodedKey}`;
    return url;
  }

  async putObject(key: string, body: Buffer, contentType: string): Promise<{ etag: string | null }> {
    const md5 = createHash('md5').update(body).digest('base64');
    const res = await this.send('PutObject', 'PUT', key, { 'content-type': contentType, 'content-md5': md5 }, body);
    return { etag: res.headers.get('etag') };
  }

  // null when the store has no such key (404 NoSuchKey).
  async getObject(key: string): Promise<Buffer | null> {
    const res = await this.send('GetObject', 'GET', key, {}, undefined, [404]);
    if (res.status === 404) return null;
    return Buffer.from(await res.arrayBuffer());
  }

  // null when the store has no such key (HEAD answers a bare 404).
  async headObject(key: string): Promise<{ size: number; etag: string | null } | null> {
    const res = await this.send('HeadObject', 'HEAD', key, {}, undefined, [404]);
    if (res.status === 404) return null;
    return { size: Number(res.headers.get('content-length') ?? 0), etag: res.headers.get('etag') };
  }

  private async send(operation: S3Operation, method: string, key: string, headers: Record<string, string>, body: Buffer | undefined, notFoundOk: number[] = []): Promise<Response> {
    const url = this.urlOf(key);
    const signed = signRequest(
      { accessKeyId: this.opts.accessKeyId, secretAccessKey: this.opts.secretAccessKey, region: this.opts.region, service: 's3' },
      { method, url, headers, payloadSha256: body ? sha256Hex(body) : EMPTY_SHA256, now: this.opts.now?.() ?? new Date() },
    );
    let res: Response;
    try {
      res = await fetch(url, { method, headers: signed.headers, body, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = (err as Error).name === 'TimeoutError' ? `no answer within ${this.opts.timeoutMs ?? 30_000} ms` : (cause?.code ?? cause?.message ?? (err as Error).message);
      throw new S3Error(operation, 0, 'UNREACHABLE', `S3 ${operation} of ${key}: the store at REPORT_S3_ENDPOINT ${this.opts.endpoint} is unreachable (${why})`);
    }
    if (res.ok) return res;
    const requestId = res.headers.get('x-amz-request-id') ?? undefined;
    const text = method === 'HEAD' ? '' : await res.text().catch(() => '');
    // A missing key is an answer, not an error; a missing bucket (also 404) is an error.
    const code = xmlField(text, 'Code') ?? (res.status === 404 && method === 'HEAD' ? 'NoSuchKey' : `HTTP${res.status}`);
    if (notFoundOk.includes(res.status) && code === 'NoSuchKey') return res;
    const message = xmlField(text, 'Message') ?? res.statusText;
    const hint = HINTS[code];
    throw new S3Error(operation, res.status, code, `S3 ${operation} of ${key} in bucket ${this.opts.bucket} refused: ${res.status} ${code}: ${message}${hint ? ` (${hint})` : ''}`, requestId);
  }
}

// One element's text from S3's XML error body (<Error><Code>..</Code><Message>..</Message></Error>).
export function xmlField(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  if (!m) return undefined;
  return m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
