// Strips an RFC 5424 or RFC 3164 (BSD) syslog header from one record and reports what it held.
// Never fails: a line whose header cannot be read is returned whole, with format 'none', and the
// vendor parser then judges the message.
import type { ParseContext } from './types';
import { parseBsdTimestamp, parseTimestamp } from './time';

export interface SyslogHeader {
  format: 'rfc5424' | 'rfc3164' | 'none';
  priority?: number;
  facility?: number;
  severity?: number;
  version?: number;
  timestamp?: Date;
  hostname?: string;
  appName?: string;
  procId?: string;
  msgId?: string;
  structuredData?: Record<string, Record<string, string>>;
}

export interface SyslogParse {
  header: SyslogHeader;
  message: string;
}

export const SYSLOG_FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5',
  'local6', 'local7',
];
export const SYSLOG_SEVERITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];

const PRI_RE = /^<(\d{1,3})>/;
const BSD_TS_RE = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(?: |$)/;
const ISO_TS_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)(?: |$)/;
// A host name or address: no '=', ',', '|', quotes; not ending in ':' (that is a tag).
const HOST_RE = /^[A-Za-z0-9_][A-Za-z0-9_.\-:%]*$/;
const TAG_RE = /^([A-Za-z0-9_][A-Za-z0-9_.\-/]{0,63})(?:\[([^\]\s]{0,64})\])?:(?: |$)/;

function octetCountingStripped(line: string): string {
  // RFC 6587 octet counting ("123 <14>...") when a TCP frame reached us unsplit.
  const m = /^(\d{1,5}) (?=<\d{1,3}>)/.exec(line);
  if (m && Number(m[1]) === Buffer.byteLength(line.slice(m[0].length), 'utf8')) return line.slice(m[0].length);
  return line;
}

function parseStructuredData(text: string): { data: Record<string, Record<string, string>>; rest: string } | null {
  const data: Record<string, Record<string, string>> = {};
  let i = 0;
  while (text[i] === '[') {
    const idMatch = /^\[([^\s\]="]{1,32})/.exec(text.slice(i));
    if (!idMatch) return null;
    const id = idMatch[1];
    const params: Record<string, string> = {};
    i += idMatch[0].length;
    for (;;) {
      if (text[i] === ']') {
        i++;
        break;
      }
      const p = /^ ([^\s\]="]{1,32})="/.exec(text.slice(i));
      if (!p) return null;
      i += p[0].length;
      let value = '';
      for (;;) {
        const c = text[i];
        if (c === undefined) return null;
        if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\' || text[i + 1] === ']')) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        if (c === '"') {
          i++;
          break;
        }
        value += c;
        i++;
      }
      Object.defineProperty(params, p[1], { value, enumerable: true, writable: true, configurable: true });
    }
    Object.defineProperty(data, id, { value: params, enumerable: true, writable: true, configurable: true });
  }
  return { data, rest: text.slice(i) };
}

function parse5424(afterPri: string, header: SyslogHeader, ctx: ParseContext): string | null {
  const v = /^([1-9]\d?) /.exec(afterPri);
  if (!v) return null;
  let rest = afterPri.slice(v[0].length);
  const fields: string[] = [];
  for (let k = 0; k < 5; k++) {
    const sp = rest.indexOf(' ');
    if (sp <= 0) return null;
    fields.push(rest.slice(0, sp));
    rest = rest.slice(sp + 1);
  }
  const [ts, host, app, proc, msgId] = fields;
  let timestamp: Date | undefined;
  if (ts !== '-') {
    if (!/^\d{4}-\d{2}-\d{2}T/.test(ts)) return null;
    const d = parseTimestamp(ts, ctx);
    if (!d) return null;
    timestamp = d;
  }
  let structuredData: Record<string, Record<string, string>> | undefined;
  if (rest.startsWith('-')) {
    rest = rest.slice(1);
  } else if (rest.startsWith('[')) {
    const sd = parseStructuredData(rest);
    if (!sd) return null;
    if (Object.keys(sd.data).length) structuredData = sd.data;
    rest = sd.rest;
  } else {
    return null;
  }
  if (rest !== '' && !rest.startsWith(' ')) return null;
  header.format = 'rfc5424';
  header.version = Number(v[1]);
  if (timestamp) header.timestamp = timestamp;
  if (host !== '-') header.hostname = host;
  if (app !== '-') header.appName = app;
  if (proc !== '-') header.procId = proc;
  if (msgId !== '-') header.msgId = msgId;
  if (structuredData) header.structuredData = structuredData;
  return rest.slice(1).replace(/^\uFEFF/, '');
}

/** Host and tag after a BSD timestamp; fills the header and returns the message. */
function hostAndTag(rest: string, header: SyslogHeader, allowHost: boolean): string {
  if (allowHost) {
    const sp = rest.indexOf(' ');
    const token = sp > 0 ? rest.slice(0, sp) : '';
    if (token && HOST_RE.test(token) && !token.endsWith(':') && !TAG_RE.test(rest)) {
      header.hostname = token;
      rest = rest.slice(sp + 1);
    }
  }
  const tag = TAG_RE.exec(rest);
  if (tag) {
    header.appName = tag[1];
    if (tag[2]) header.procId = tag[2];
    rest = rest.slice(tag[0].length);
  }
  return rest;
}

export function parseSyslogHeader(line: string, ctx: ParseContext): SyslogParse {
  const text = octetCountingStripped(line);
  const header: SyslogHeader = { format: 'none' };
  let rest = text;
  const pri = PRI_RE.exec(text);
  if (pri && Number(pri[1]) <= 191) {
    const p = Number(pri[1]);
    header.priority = p;
    header.facility = p >> 3;
    header.severity = p & 7;
    rest = text.slice(pri[0].length);
    const message = parse5424(rest, header, ctx);
    if (message !== null) return { header, message };
    header.format = 'rfc3164';
  }
  const bsd = BSD_TS_RE.exec(rest);
  const iso = bsd ? null : ISO_TS_RE.exec(rest);
  if (bsd || iso) {
    const ts = bsd ? parseBsdTimestamp(bsd[1], bsd[2], bsd[3], bsd[4], ctx) : parseTimestamp(iso![1], ctx);
    if (ts) {
      header.format = 'rfc3164';
      header.timestamp = ts;
      const after = rest.slice((bsd ?? iso)![0].length);
      return { header, message: hostAndTag(after, header, true) };
    }
  }
  if (header.format === 'rfc3164') return { header, message: hostAndTag(rest, header, false) };
  return { header, message: text };
}
