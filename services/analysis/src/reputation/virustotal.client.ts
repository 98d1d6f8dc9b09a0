// VirusTotal API v3, the file report only: GET {base}/api/v3/files/{hash} with the key in the
// `x-apikey` header (https://docs.virustotal.com/reference/file-info). A file object carries
// `data.attributes.last_analysis_stats` (engines per category) and `last_analysis_results`
// (one entry per engine: category, engine_name, result); errors are
// `{ error: { code, message } }` with the HTTP status of the error table
// (https://docs.virustotal.com/reference/errors).
import { Dispatcher, request } from 'undici';

// What analysis keeps of a file report. `found: false`: VirusTotal has never seen the file.
export interface FileReputation {
  hash: string;
  found: boolean;
  malicious: number;
  suspicious: number;
  undetected: number;
  harmless: number;
  // Engines that gave a verdict (malicious + suspicious + undetected + harmless); engines that
  // timed out, failed or do not support the file type are left out, as VirusTotal's own ratio does.
  totalEngines: number;
  // `malicious/totalEngines`, e.g. '45/70'.
  detectionRatio: string;
  // The engines that flagged the file (malicious or suspicious), by engine name.
  detectedBy: { engine: string; category: 'malicious' | 'suspicious'; result: string | null }[];
  meaningfulName: string | null;
  typeDescription: string | null;
  // ISO 8601; null when never analysed (or not found).
  lastAnalysisAt: string | null;
}

export type FileReportOutcome =
  | { kind: 'found'; reputation: FileReputation }
  | { kind: 'not-found'; reputation: FileReputation }
  // 429 QuotaExceededError / TooManyRequestsError; retryAfterMs from Retry-After when sent.
  | { kind: 'quota-exceeded'; code: string; message: string; retryAfterMs: number | undefined }
  // 401: a wrong, missing or inactive key; asking again will not help.
  | { kind: 'unauthorized'; code: string; message: string }
  // 5xx, a timeout, a dropped connection, NotAvailableYet: worth asking again later.
  | { kind: 'transient'; status: number | undefined; code: string; message: string }
  // Any other 4xx (a malformed hash, ForbiddenError): asking again will not help.
  | { kind: 'rejected'; status: number; code: string; message: string };

export interface VirusTotalClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
}

export const FILE_HASH = /^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/;

export class VirusTotalClient {
  private readonly base: string;

  constructor(private readonly opts: VirusTotalClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
  }

  // Never throws for what VirusTotal or the network answers: every answer is an outcome.
  async fileReport(hash: string): Promise<FileReportOutcome> {
    const url = `${this.base}/api/v3/files/${encodeURIComponent(hash)}`;
    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await request(url, {
        method: 'GET',
        headers: { 'x-apikey': this.opts.apiKey, accept: 'application/json' },
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        dispatcher: this.opts.dispatcher,
      });
      status = res.statusCode;
      headers = res.headers;
      text = await res.body.text();
    } catch (err) {
      const e = err as Error & { code?: string };
      const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError' || /Timeout/i.test(e.code ?? '');
      return { kind: 'transient', status: undefined, code: timedOut ? 'Timeout' : (e.code ?? e.name), message: timedOut ? `no answer within ${this.opts.timeoutMs} ms` : e.message };
    }
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (status === 200) {
      try {
        return { kind: 'found', reputation: fileReputationOf(hash, body) };
      } catch (err) {
        return { kind: 'transient', status, code: 'MalformedResponse', message: (err as Error).message };
      }
    }
    return fileReportFailureOf(hash, status, body, headers);
  }
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.trunc(v) : 0);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

// A 200 file object as a FileReputation; throws when it is not a file object at all.
export function fileReputationOf(hash: string, body: unknown): FileReputation {
  const data = (body as { data?: { attributes?: unknown } } | undefined)?.data;
  const attrs = data?.attributes;
  if (!attrs || typeof attrs !== 'object') throw new Error('file report without data.attributes');
  const a = attrs as Record<string, unknown>;
  const stats = (a.last_analysis_stats ?? {}) as Record<string, unknown>;
  const [malicious, suspicious, undetected, harmless] = [num(stats.malicious), num(stats.suspicious), num(stats.undetected), num(stats.harmless)];
  const totalEngines = malicious + suspicious + undetected + harmless;
  const results = (a.last_analysis_results && typeof a.last_analysis_results === 'object' ? a.last_analysis_results : {}) as Record<string, unknown>;
  const detectedBy: FileReputation['detectedBy'] = [];
  for (const [key, raw] of Object.entries(results)) {
    const r = (raw ?? {}) as Record<string, unknown>;
    if (r.category !== 'malicious' && r.category !== 'suspicious') continue;
    detectedBy.push({ engine: strOrNull(r.engine_name) ?? key, category: r.category, result: strOrNull(r.result) });
  }
  detectedBy.sort((x, y) => x.engine.localeCompare(y.engine));
  const date = a.last_analysis_date;
  return {
    hash,
    found: true,
    malicious,
    suspicious,
    undetected,
    harmless,
    totalEngines,
    detectionRatio: `${malicious}/${totalEngines}`,
    detectedBy,
    meaningfulName: strOrNull(a.meaningful_name),
    typeDescription: strOrNull(a.type_description),
    // seconds since the epoch
    lastAnalysisAt: typeof date === 'number' && Number.isFinite(date) && date > 0 ? new Date(date * 1000).toISOString() : null,
  };
}

export function notFoundReputation(hash: string): FileReputation {
  return { hash, found: false, malicious: 0, suspicious: 0, undetected: 0, harmless: 0, totalEngines: 0, detectionRatio: '0/0', detectedBy: [], meaningfulName: null, typeDescription: null, lastAnalysisAt: null };
}

// An answer other than 200, by status and VirusTotal's error code.
export function fileReportFailureOf(hash: string, status: number, body: unknown, headers: Record<string, string | string[] | undefined>, now = Date.now()): FileReportOutcome {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : `HTTP${status}`;
  const message = typeof error?.message === 'string' ? error.message : `VirusTotal answered ${status}`;
  if (status === 404 && (code === 'NotFoundError' || code === 'HTTP404')) return { kind: 'not-found', reputation: notFoundReputation(hash) };
  if (status === 429) return { kind: 'quota-exceeded', code, message, retryAfterMs: retryAfterMs(headers['retry-after'], now) };
  if (status === 401) return { kind: 'unauthorized', code, message };
  if (status >= 500 || status === 408 || code === 'NotAvailableYet' || code === 'TransientError' || code === 'DeadlineExceededError') return { kind: 'transient', status, code, message };
  return { kind: 'rejected', status, code, message };
}

// Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable.
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
