// A local stand-in for VirusTotal's API v3 file reports (https://docs.virustotal.com/reference/file-info),
// on the vendor-server kit: `GET /api/v3/files/{md5|sha1|sha256}` with the key in `x-apikey`
// answers the documented file object (`data.attributes.last_analysis_stats`,
// `last_analysis_results`, `meaningful_name`, `type_description`, `last_analysis_date`), and the
// documented errors `{ error: { code, message } }`: 401 AuthenticationRequiredError /
// WrongCredentialsError, 404 NotFoundError, 429 QuotaExceededError beyond a per-minute quota per
// key (https://docs.virustotal.com/reference/errors). Tests and the demo point a client at it.
import { createHash, randomBytes } from 'node:crypto';
import { Failure, FailureScope } from './vendor-server/failures';
import { VendorRequest, VendorResponse, VendorResponseError, VendorServer } from './vendor-server/vendor.server';

export const FAKE_VIRUSTOTAL_API_KEY = 'kanshi-fake-virustotal-key-0000000000000000000000000000000000000';

export type FakeVirusTotalCategory = 'malicious' | 'suspicious' | 'undetected' | 'harmless' | 'timeout' | 'type-unsupported' | 'failure';

export interface FakeVirusTotalEngineResult {
  category: FakeVirusTotalCategory;
  // The detection name (e.g. 'Trojan.GenericKD.4711'); null when not detected.
  result?: string | null;
}

export interface FakeVirusTotalFileInput {
  // The file's bytes: its MD5, SHA-1 and SHA-256 are computed. Random bytes when neither this nor sha256 is given.
  content?: string | Buffer;
  // Only a SHA-256 (md5 and sha1 then stay unknown to the server).
  sha256?: string;
  meaningfulName?: string;
  typeDescription?: string;
  size?: number;
  lastAnalysisDate?: Date;
  // Engine name -> its verdict.
  results: Record<string, FakeVirusTotalEngineResult>;
}

export interface FakeVirusTotalFile {
  md5: string | undefined;
  sha1: string | undefined;
  sha256: string;
  meaningfulName: string;
  typeDescription: string;
  size: number;
  lastAnalysisDate: Date;
  results: Record<string, FakeVirusTotalEngineResult>;
}

export interface FakeVirusTotalOptions {
  // Keys accepted in x-apikey; FAKE_VIRUSTOTAL_API_KEY by default.
  apiKeys?: string[];
  // Requests per key beyond which the server answers 429 QuotaExceededError (sliding window);
  // unlimited by default. A public key has 4 a minute.
  requestsPerMinute?: number;
  // The quota window; a minute by default (tests shorten it).
  quotaWindowMs?: number;
  // Sent as Retry-After (seconds) with a quota 429; VirusTotal's docs promise none, so off by default.
  quotaRetryAfterSeconds?: number;
  host?: string;
  port?: number;
}

// Engine names for generated reports (VirusTotal reports about 70 engines per file).
const ENGINES = [
  'Acronis', 'AhnLab-V3', 'Alibaba', 'ALYac', 'Antiy-AVL', 'Arcabit', 'Avast', 'AVG', 'Avira', 'Baidu', 'BitDefender', 'Bkav', 'ClamAV',
  'CMC', 'CrowdStrike', 'Cylance', 'Cynet', 'DrWeb', 'Elastic', 'Emsisoft', 'eScan', 'ESET-NOD32', 'Fortinet', 'GData', 'Google', 'Gridinsoft',
  'Ikarus', 'Jiangmin', 'K7AntiVirus', 'K7GW', 'Kaspersky', 'Kingsoft', 'Lionic', 'Malwarebytes', 'MaxSecure', 'McAfee', 'MicroWorld-eScan',
  'Microsoft', 'NANO-Antivirus', 'Panda', 'QuickHeal', 'Rising', 'Sangfor', 'SentinelOne', 'Skyhigh', 'Sophos', 'SUPERAntiSpyware',
  'Symantec', 'Tencent', 'TrendMicro', 'TrendMicro-HouseCall', 'Trellix', 'VBA32', 'VIPRE', 'ViRobot', 'VirIT', 'Webroot', 'Xcitium',
  'Yandex', 'Zillya', 'ZoneAlarm', 'Zoner', 'tehtris', 'Varist', 'Trapmine', 'SecureAge', 'Paloalto', 'DeepInstinct', 'Cybereason', 'Gridinsoft-2',
];

export interface DetectedFileOptions {
  // Engines that flag the file as malicious.
  detections: number;
  // Engines in the report (undetected beyond the detections); 70 by default.
  engines?: number;
  // Engines among the rest that flag it as suspicious.
  suspicious?: number;
  content?: string | Buffer;
  sha256?: string;
  meaningfulName?: string;
  typeDescription?: string;
  // The detection name the engines give; `Trojan.Kanshi.Test` by default.
  detectionName?: string;
  lastAnalysisDate?: Date;
}

// N engines flagging a file, the rest undetected: the results of a report for addFile.
export function detectedFileResults(opts: { detections: number; engines?: number; suspicious?: number; detectionName?: string }): Record<string, FakeVirusTotalEngineResult> {
  const engines = opts.engines ?? 70;
  const suspicious = opts.suspicious ?? 0;
  if (opts.detections + suspicious > engines) throw new RangeError(`detections (${opts.detections}) + suspicious (${suspicious}) exceed engines (${engines})`);
  const results: Record<string, FakeVirusTotalEngineResult> = {};
  for (let i = 0; i < engines; i++) {
    const name = ENGINES[i] ?? `Engine-${i + 1}`;
    if (i < opts.detections) results[name] = { category: 'malicious', result: opts.detectionName ?? 'Trojan.Kanshi.Test' };
    else if (i < opts.detections + suspicious) results[name] = { category: 'suspicious', result: 'Suspicious.Heuristic' };
    else results[name] = { category: 'undetected', result: null };
  }
  return results;
}

// Usage: `const vt = new FakeVirusTotalServer({ requestsPerMinute: 4 }); await vt.start();
// const { sha256 } = vt.addDetectedFile({ detections: 45 });` then point the client at `vt.url`
// with `x-apikey: FAKE_VIRUSTOTAL_API_KEY`.
export class FakeVirusTotalServer {
  private readonly server: VendorServer;
  private readonly files = new Map<string, FakeVirusTotalFile>();
  private readonly used = new Map<string, number[]>();

  constructor(private readonly options: FakeVirusTotalOptions = {}) {
    this.server = new VendorServer({ name: 'FakeVirusTotal', host: options.host, port: options.port, idempotency: false, before: [(req) => this.authenticate(req), (req) => this.quota(req)] });
    this.server.get('/api/v3/files/:id', (req) => this.fileReport(req.params.id));
  }

  // ----- files -----

  addFile(input: FakeVirusTotalFileInput): FakeVirusTotalFile {
    const content = input.content ?? (input.sha256 ? undefined : randomBytes(32));
    const digest = (alg: string) => (content === undefined ? undefined : createHash(alg).update(content).digest('hex'));
    const sha256 = (input.sha256 ?? digest('sha256')!).toLowerCase();
    const file: FakeVirusTotalFile = {
      md5: digest('md5'),
      sha1: digest('sha1'),
      sha256,
      meaningfulName: input.meaningfulName ?? `sample-${sha256.slice(0, 8)}.exe`,
      typeDescription: input.typeDescription ?? 'Win32 EXE',
      size: input.size ?? (content === undefined ? 4096 : Buffer.byteLength(content)),
      lastAnalysisDate: input.lastAnalysisDate ?? new Date(Math.floor(Date.now() / 1000) * 1000),
      results: input.results,
    };
    for (const h of [file.md5, file.sha1, file.sha256]) if (h) this.files.set(h, file);
    return file;
  }

  // A file `detections` engines flag as malicious (of 70 by default).
  addDetectedFile(opts: DetectedFileOptions): FakeVirusTotalFile {
    return this.addFile({ ...opts, results: detectedFileResults(opts) });
  }

  removeFile(hash: string): void {
    const file = this.files.get(hash.toLowerCase());
    if (!file) return;
    for (const h of [file.md5, file.sha1, file.sha256]) if (h) this.files.delete(h);
  }

  // ----- the log and failures -----

  // Every request received since start or reset.
  get requests(): VendorRequest[] {
    return this.server.requests;
  }

  // File-report requests (for one hash, in any case, when given).
  fileRequests(hash?: string): VendorRequest[] {
    return this.server.findRequests({ method: 'GET', path: '/api/v3/files/:id' }).filter((r) => hash === undefined || r.params.id?.toLowerCase() === hash.toLowerCase());
  }

  // The kit's failure injection (5xx, drop, hang, delay...).
  failNext(n: number, failure: Failure, scope?: FailureScope<VendorRequest>): void {
    this.server.failNext(n, failure, scope);
  }

  // The next `n` requests answer 429 QuotaExceededError, with Retry-After when given.
  failNextWithQuotaExceeded(n: number, retryAfterSeconds?: number): void {
    this.server.failNext(n, { kind: 'error', status: 429, json: quotaExceededBody(), headers: retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(retryAfterSeconds) } });
  }

  // ----- lifecycle -----

  start(): Promise<{ port: number; url: string }> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  // Clears the log, failures and quota use; files stay.
  async reset(): Promise<void> {
    this.used.clear();
    await this.server.reset();
  }

  setDown(down: boolean, mode: 'refuse' | 'reset' = 'refuse'): Promise<void> {
    return this.server.setDown(down, mode);
  }

  get url(): string {
    return this.server.url;
  }

  get port(): number {
    return this.server.port;
  }

  // ----- protocol -----

  private authenticate(req: VendorRequest): VendorResponse | undefined {
    const key = req.headers['x-apikey'];
    if (key === undefined || key === '') return errorAnswer(401, 'AuthenticationRequiredError', 'X-Apikey header is missing');
    if (!(this.options.apiKeys ?? [FAKE_VIRUSTOTAL_API_KEY]).includes(key)) return errorAnswer(401, 'WrongCredentialsError', 'Wrong API key');
    return undefined;
  }

  // A sliding window per key; requests over the quota are refused and do not count.
  private quota(req: VendorRequest): VendorResponse | undefined {
    const limit = this.options.requestsPerMinute;
    if (limit === undefined) return undefined;
    const key = req.headers['x-apikey'];
    const now = Date.now();
    const windowMs = this.options.quotaWindowMs ?? 60_000;
    const recent = (this.used.get(key) ?? []).filter((t) => t > now - windowMs);
    if (recent.length >= limit) {
      this.used.set(key, recent);
      const answer: VendorResponse = { status: 429, json: quotaExceededBody() };
      if (this.options.quotaRetryAfterSeconds !== undefined) answer.headers = { 'Retry-After': String(this.options.quotaRetryAfterSeconds) };
      return answer;
    }
    recent.push(now);
    this.used.set(key, recent);
    return undefined;
  }

  private fileReport(id: string): VendorResponse {
    const file = this.files.get(id.toLowerCase());
    if (!file) {
      if (!/^([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/.test(id)) throw new VendorResponseError(errorAnswer(400, 'InvalidArgumentError', `Invalid file identifier "${id}"`));
      throw new VendorResponseError(errorAnswer(404, 'NotFoundError', `File "${id}" not found`));
    }
    const stats: Record<FakeVirusTotalCategory, number> = { malicious: 0, suspicious: 0, undetected: 0, harmless: 0, timeout: 0, 'type-unsupported': 0, failure: 0 };
    const results: Record<string, unknown> = {};
    for (const [engine, r] of Object.entries(file.results)) {
      stats[r.category]++;
      results[engine] = { category: r.category, engine_name: engine, engine_version: '1.0.0', engine_update: '20260101', method: 'blacklist', result: r.result ?? null };
    }
    const date = Math.floor(file.lastAnalysisDate.getTime() / 1000);
    return {
      json: {
        data: {
          type: 'file',
          id: file.sha256,
          links: { self: `${this.url}/api/v3/files/${file.sha256}` },
          attributes: {
            md5: file.md5,
            sha1: file.sha1,
            sha256: file.sha256,
            size: file.size,
            meaningful_name: file.meaningfulName,
            names: [file.meaningfulName],
            type_description: file.typeDescription,
            first_submission_date: date,
            last_analysis_date: date,
            last_analysis_stats: stats,
            last_analysis_results: results,
            reputation: -stats.malicious,
          },
        },
      },
    };
  }
}

function errorAnswer(status: number, code: string, message: string): VendorResponse {
  return { status, json: { error: { code, message } } };
}

function quotaExceededBody(): unknown {
  return { error: { code: 'QuotaExceededError', message: 'Quota exceeded' } };
}

// For scripts/start.ts's demo: a fake VirusTotal on `port` (0: any free one) serving `files`.
export async function startFakeVirusTotal(opts: { port?: number; host?: string; files?: (FakeVirusTotalFileInput | DetectedFileOptions)[]; requestsPerMinute?: number } = {}): Promise<{
  server: FakeVirusTotalServer;
  url: string;
  apiKey: string;
  files: FakeVirusTotalFile[];
}> {
  const server = new FakeVirusTotalServer({ port: opts.port, host: opts.host, requestsPerMinute: opts.requestsPerMinute });
  const files = (opts.files ?? []).map((f) => ('results' in f ? server.addFile(f) : server.addDetectedFile(f)));
  const { url } = await server.start();
  return { server, url, apiKey: FAKE_VIRUSTOTAL_API_KEY, files };
}
