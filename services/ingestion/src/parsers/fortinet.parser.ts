// FortiGate (FortiOS 5.x-7.x) and FortiWeb key=value syslog.
//
// FortiGate severity: the attack `severity` of UTM logs when present, else the log `level`:
//   attack severity  critical -> critical, high -> high, medium -> medium, low -> low, info -> info
//   level            emergency -> critical, alert / critical -> high, error / warning -> medium,
//                    notice -> low, information / debug -> info
//   traffic logs are always info.
// FortiWeb severity_level: Critical -> critical, High -> high, Medium -> medium, Low -> low,
//   Informative / Info -> info; without it, `pri` is read as a FortiGate level.
// Kind: FortiGate UTM logs naming an attack, a virus or a botnet (ips, anomaly, virus, dns,
//   webfilter for malicious categories) are alerts; traffic, event and other UTM logs are events.
//   FortiWeb type=attack is an alert, traffic and event logs are events.
import { Ecs, affectedEndpoint, blockedFromText, normalizeIp, normalizeMac, putOwn, setHost, setUser, str, transport } from './ecs';
import type { SeverityLabel } from './severity';
import { localToDate, fromEpoch, zoneFromText, type Zone } from './time';
import { fail, single, type EventDraft, type VendorInput, type VendorOutcome } from './types';

const CSV_RE = /^\s*[A-Za-z0-9_.-]+=("[^"]*"|[^\s,"]*),[A-Za-z0-9_.-]+=/;

/** [A-Za-z0-9_.-] */
function isKeyChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x2d;
}

/** Space, tab, CR, LF. */
function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/**
 * Reads `key=value` pairs: values are bare (up to whitespace) or double-quoted with \" and \\
 * escapes; FortiOS "csv" format (pairs separated by commas) is recognised. Tokens that are not
 * pairs are skipped. The first occurrence of a key wins.
 */
export function parseKeyValues(text: string): Map<string, string> {
  const pairs = new Map<string, string>();
  scanKeyValues(text, (key, value) => {
    if (!pairs.has(key)) pairs.set(key, value);
  });
  return pairs;
}

/** The scan behind parseKeyValues: every pair in line order, repeated keys included. */
function scanKeyValues(text: string, pair: (key: string, value: string) => void): void {
  // One scan by character code; values are slices of the line (a quoted value is pieced together
  // only around escapes), since this runs for every FortiGate line.
  const csv = CSV_RE.test(text);
  const n = text.length;
  const isSep = (c: number) => isBlank(c) || (csv && c === 0x2c);
  let i = 0;
  while (i < n) {
    while (i < n && (isSep(text.charCodeAt(i)) || text.charCodeAt(i) === 0x2c)) i++;
    if (i >= n) break;
    let end = i;
    while (end < n && isKeyChar(text.charCodeAt(end))) end++;
    if (end === i || text.charCodeAt(end) !== 0x3d) {
      while (i < n && !isSep(text.charCodeAt(i))) i++;
      continue;
    }
    const key = text.slice(i, end);
    i = end + 1;
    let value: string;
    if (text.charCodeAt(i) === 0x22) {
      i++;
      let from = i;
      value = '';
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 0x22) break;
        const next = text.charCodeAt(i + 1);
        if (c === 0x5c && (next === 0x22 || next === 0x5c)) {
          value += text.slice(from, i) + text[i + 1];
          i += 2;
          from = i;
        } else {
          i++;
        }
      }
      value += text.slice(from, i);
      i++; // closing quote (or past the end of a truncated line)
    } else {
      const start = i;
      while (i < n && !isSep(text.charCodeAt(i))) i++;
      value = text.slice(start, i);
    }
    pair(key, value);
  }
}

/**
 * A FortiGate line's fields, trimmed, for both reading and the document: `values` holds the
 * non-empty ones as own properties (ready to be the fortinet.firewall node), `count` every pair
 * read, blank ones included. The first occurrence of a key wins, as in parseKeyValues.
 */
interface Fields {
  values: Record<string, string>;
  nonEmpty: number;
  count: number;
}

function readFields(text: string): Fields {
  const values: Record<string, string> = {};
  let blank: Set<string> | undefined; // keys seen with a blank value (rare), so they still win
  let nonEmpty = 0;
  let count = 0;
  scanKeyValues(text, (key, raw) => {
    if (Object.prototype.hasOwnProperty.call(values, key) || blank?.has(key)) return;
    count++;
    const value = raw.trim();
    if (value === '') {
      (blank ??= new Set()).add(key);
      return;
    }
    nonEmpty++;
    putOwn(values, key, value);
  });
  return { values, nonEmpty, count };
}

const ATTACK_SEVERITY: Record<string, SeverityLabel> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low', info: 'info', information: 'info', informational: 'info' };
const LEVEL_SEVERITY: Record<string, SeverityLabel> = {
  emergency: 'critical',
  alert: 'high',
  critical: 'high',
  error: 'medium',
  warning: 'medium',
  notice: 'low',
  information: 'info',
  informational: 'info',
  debug: 'info',
};

// First two digits of a FortiOS logid name the log type when `type`/`subtype` are missing.
const LOGID_TYPES: Record<string, [string, string | undefined]> = {
  '00': ['traffic', undefined],
  '01': ['event', undefined],
  '02': ['utm', 'virus'],
  '03': ['utm', 'webfilter'],
  '04': ['utm', 'ips'],
  '05': ['utm', 'emailfilter'],
  '07': ['utm', 'anomaly'],
  '09': ['utm', 'dlp'],
  '10': ['utm', 'app-ctrl'],
  '15': ['utm', 'dns'],
};

const PREVENTED = new Set(['dropped', 'drop', 'blocked', 'block', 'deny', 'denied', 'reset', 'reset-client', 'reset-server', 'reset-both', 'clear_session', 'quarantine', 'quarantined', 'ban-ip', 'banned']);
const PERMITTED = new Set(['pass', 'passthrough', 'accept', 'allow', 'allowed', 'close', 'timeout', 'client-rst', 'server-rst', 'detected', 'monitored', 'monitor', 'exempt', 'log-only', 'start', 'alert']);

function fortiBlocked(...actions: Array<string | undefined>): boolean | null {
  for (const a of actions) {
    const v = a?.trim().toLowerCase();
    if (!v) continue;
    if (PREVENTED.has(v)) return true;
    if (PERMITTED.has(v)) return false;
    const guess = blockedFromText(v);
    if (guess !== null) return guess;
  }
  return null;
}

// Plain alternatives only, tried at each position once: linear in the category text. (A
// `newly observed domain.*malicious` alternative, already covered by `malicious`, rescanned the
// rest of the text from every "newly observed domain": quadratic, 170 ms per 64 KiB record.)
const MALICIOUS_WEB_CATEGORIES = /malicious|phishing|spam url|botnet|command.and.control|crypto.?mining/i;

/**
 * date + time in the device zone, or with tz="+0900" / FortiWeb timezone="(GMT+9:00)Osaka,...".
 * `get` gives a key's trimmed value, undefined when absent or blank.
 */
function fortiTime(get: (k: string) => string | undefined, input: VendorInput): Date | null {
  const date = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(get('date') ?? '');
  const time = /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(get('time') ?? '');
  if (date && time) {
    let zone: Zone | undefined = zoneFromText(get('tz'));
    const fortiWebZone = /GMT\s*([+-]\d{1,2}(?::\d{2})?)/i.exec(get('timezone') ?? '');
    if (!zone && fortiWebZone) zone = zoneFromText(fortiWebZone[1]);
    const d = localToDate(
      {
        year: Number(date[1]),
        month: Number(date[2]),
        day: Number(date[3]),
        hour: Number(time[1]),
        minute: Number(time[2]),
        second: Number(time[3]),
        millisecond: time[4] ? Number(time[4].slice(0, 3).padEnd(3, '0')) : 0,
      },
      zone ?? { timeZone: input.ctx.timeZone },
    );
    if (d) return d;
  }
  return fromEpoch(get('eventtime')) ?? fromEpoch(get('timestamp'));
}

function urlOf(ecs: Ecs, url: string | undefined, host: string | undefined, service: string | undefined): void {
  if (url) {
    ecs.set('url.original', url);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
      ecs.set('url.full', url);
    } else if (url.startsWith('/')) {
      const q = url.indexOf('?');
      ecs.set('url.path', q >= 0 ? url.slice(0, q) : url);
      if (q >= 0) ecs.set('url.query', url.slice(q + 1));
      if (host) ecs.set('url.full', `${/https/i.test(service ?? '') ? 'https' : 'http'}://${host}${url}`);
    }
  }
  ecs.set('url.domain', host);
}

function fortiGate(fields: Fields, input: VendorInput): VendorOutcome {
  const f = fields.values;
  const get = (k: string): string | undefined => (Object.prototype.hasOwnProperty.call(f, k) ? f[k] : undefined);
  const logid = get('logid');
  if (!logid) return fail('FortiGate: missing key "logid"');
  const fromLogid = LOGID_TYPES[logid.padStart(10, '0').slice(0, 2)];
  let type = get('type')?.toLowerCase() ?? fromLogid?.[0];
  let subtype = get('subtype')?.toLowerCase() ?? fromLogid?.[1];
  // FortiOS 4.x/5.0 wrote the UTM kind in `type` (type=ips, type=virus...).
  if (type && ['ips', 'virus', 'webfilter', 'app-ctrl', 'anomaly', 'dlp', 'attack', 'emailfilter', 'dns'].includes(type)) {
    subtype = subtype ?? (type === 'attack' ? 'ips' : type);
    type = 'utm';
  }
  const attack = get('attack');
  const virus = get('virus');
  const botnet = get('botnetdomain') ?? get('botnetip');
  const catdesc = get('catdesc');
  const isUtm = type === 'utm';
  const isAlert =
    !!attack ||
    !!virus ||
    !!botnet ||
    (isUtm && (subtype === 'ips' || subtype === 'anomaly' || subtype === 'virus')) ||
    (isUtm && subtype === 'webfilter' && !!catdesc && MALICIOUS_WEB_CATEGORIES.test(catdesc));
  const kind = isAlert ? 'alert' : 'event';

  const ecs = new Ecs();
  ecs.set('observer.vendor', 'Fortinet');
  ecs.set('observer.product', 'FortiGate');
  ecs.set('observer.type', 'firewall');
  ecs.set('observer.name', get('devname'));
  ecs.set('observer.serial_number', get('devid'));
  ecs.set('observer.ingress.interface.name', get('srcintf'));
  ecs.set('observer.egress.interface.name', get('dstintf'));
  ecs.set('event.code', logid);
  ecs.set('event.action', get('action') ?? get('utmaction'));
  ecs.set('message', get('msg'));

  ecs.setAddress('source', get('srcip'));
  ecs.setPort('source.port', get('srcport'));
  ecs.setMac('source.mac', get('srcmac'));
  ecs.setAddress('destination', get('dstip'));
  ecs.setPort('destination.port', get('dstport'));
  ecs.setMac('destination.mac', get('dstmac'));
  ecs.setAddress('source.nat', get('transip'));
  ecs.setPort('source.nat.port', get('transport'));
  ecs.setAddress('destination.nat', get('tranip'));
  ecs.setPort('destination.nat.port', get('tranport'));
  const country = (k: string) => {
    const v = get(k);
    return v !== 'Reserved' ? v : undefined;
  };
  ecs.set('source.geo.country_name', country('srccountry'));
  ecs.set('destination.geo.country_name', country('dstcountry'));
  ecs.set('source.bytes', Number(get('sentbyte')) || undefined);
  ecs.set('destination.bytes', Number(get('rcvdbyte')) || undefined);
  ecs.set('source.packets', Number(get('sentpkt')) || undefined);
  ecs.set('destination.packets', Number(get('rcvdpkt')) || undefined);
  ecs.set('network.transport', transport(get('proto')));
  ecs.set('network.protocol', get('service')?.toLowerCase());
  ecs.set('network.application', get('app'));
  const user = get('user') ?? get('srcuser') ?? get('unauthuser');
  setUser(ecs, 'user', user);
  setUser(ecs, 'source.user', get('srcuser') ?? get('unauthuser'));

  let ruleName: string | undefined;
  let ruleId: string | undefined;
  if (attack) {
    ruleName = attack;
    ruleId = get('attackid');
  } else if (virus) {
    ruleName = virus;
    ruleId = get('virusid');
  } else if (botnet) {
    ruleName = get('catdesc') ?? `Botnet ${botnet}`;
  } else if (subtype === 'webfilter') {
    ruleName = catdesc;
    ruleId = get('cat');
  } else if (subtype === 'app-ctrl') {
    ruleName = get('app');
    ruleId = get('appid');
  } else if (type === 'traffic') {
    const policyId = get('policyid');
    ruleName = get('policyname') ?? (policyId === '0' ? 'implicit deny (policy 0)' : policyId ? `policy ${policyId}` : undefined);
    ruleId = get('policyid');
  } else {
    ruleName = get('logdesc') ?? get('msg');
  }
  ecs.set('rule.name', ruleName);
  ecs.set('rule.id', ruleId);
  ecs.set('rule.reference', get('ref'));
  ecs.set('rule.ruleset', get('profile'));
  ecs.set('threat.software.name', virus);
  ecs.set('file.name', get('filename'));
  ecs.set('file.size', Number(get('filesize')) || undefined);
  ecs.setHash('file.hash', get('filehash') ?? get('analyticscksum'));
  urlOf(ecs, get('url'), get('hostname'), get('service'));
  ecs.set('dns.question.name', get('qname'));

  const blocked = fortiBlocked(get('action'), get('utmaction'));
  const srcName = get('srcname');
  const src = { ip: normalizeIp(get('srcip')), name: srcName, mac: normalizeMac(get('srcmac')) };
  const dst = { ip: normalizeIp(get('dstip')), name: get('dstname'), mac: normalizeMac(get('dstmac')) };
  if (type !== 'event' && (src.ip || dst.ip)) setHost(ecs, affectedEndpoint(src, dst, get('direction') === 'incoming' ? 'destination' : 'source'));

  const categories: string[] = [];
  const types: string[] = [];
  if (subtype === 'ips' || subtype === 'anomaly' || attack) categories.push('intrusion_detection');
  if (virus) categories.push('malware');
  if (subtype === 'webfilter') categories.push('web');
  const action = get('action')?.toLowerCase() ?? '';
  if (type === 'event') {
    if (/login|logout|auth/.test(`${action} ${get('logdesc') ?? ''}`.toLowerCase())) categories.push('authentication');
    else if (subtype === 'vpn') categories.push('network', 'session');
    else if (/(edit|add|delete|change|set)/.test(`${action} ${get('cfgpath') ?? ''}`.toLowerCase()) || get('cfgpath')) categories.push('configuration');
    else categories.push('host');
    const status = get('status')?.toLowerCase();
    if (status === 'success') ecs.set('event.outcome', 'success');
    if (status && /fail/.test(status)) ecs.set('event.outcome', 'failure');
  } else {
    categories.push('network');
  }
  if (type === 'traffic') types.push('connection', blocked ? 'denied' : 'allowed');
  ecs.set('event.category', categories);
  ecs.set('event.type', types);

  // the vendor's fields as read (trimmed, non-empty, own properties), without a copy
  if (fields.nonEmpty > 0) ecs.adopt('fortinet.firewall', f);

  // Attack severity for UTM, log level otherwise; traffic is informational.
  const attackSeverity = get('severity')?.toLowerCase();
  const level = get('level')?.toLowerCase();
  let severity: SeverityLabel | null;
  let vendorSeverity: string | null;
  if (type === 'traffic') {
    severity = 'info';
    vendorSeverity = get('level') ?? null;
  } else if (attackSeverity && ATTACK_SEVERITY[attackSeverity]) {
    severity = ATTACK_SEVERITY[attackSeverity];
    vendorSeverity = get('severity')!;
  } else {
    severity = level ? (LEVEL_SEVERITY[level] ?? null) : null;
    vendorSeverity = get('level') ?? null;
  }

  const time = get('eventtime') ?? (get('date') && get('time') ? `${get('date')}T${get('time')}` : undefined);
  const devid = get('devid');
  const sessionid = get('sessionid');
  // devid:logid:time:sessionid, leaving out the absent ones
  const vendorEventId = time ? `${devid ? `${devid}:` : ''}${logid}:${time}${sessionid ? `:${sessionid}` : ''}` : null;

  const draft: EventDraft = {
    kind,
    occurredAt: fortiTime(get, input),
    vendorEventId,
    // Not unique on their own (old FortiOS has no eventtime nor incidentserialno): the record too.
    identity: { parts: [devid, get('vd'), logid, get('eventtime') ?? time, get('incidentserialno'), sessionid], unique: false },
    groupKey: get('incidentserialno') ?? null,
    blocked,
    vendorSeverity,
    severity,
    ruleName: ruleName ?? null,
    ecs,
  };
  return { ok: true, events: [draft] };
}

const FORTIWEB_EMPTY = new Set(['none', 'n/a', 'unknown', '-']);

function fortiWeb(kv: Map<string, string>, input: VendorInput): VendorOutcome {
  const get = (k: string): string | undefined => {
    const v = str(kv.get(k));
    return v !== undefined && !FORTIWEB_EMPTY.has(v.toLowerCase()) ? v : undefined;
  };
  const logId = get('log_id') ?? get('logid');
  if (!logId) return fail('FortiWeb: missing key "log_id"');
  const type = get('type')?.toLowerCase();
  const kind = type === 'attack' ? 'alert' : 'event';
  const mainType = get('main_type');
  const subType = get('sub_type') ?? get('subtype');

  const ecs = new Ecs();
  ecs.set('observer.vendor', 'Fortinet');
  ecs.set('observer.product', 'FortiWeb');
  ecs.set('observer.type', 'waf');
  ecs.set('observer.name', get('devname') ?? get('device_name'));
  ecs.set('observer.serial_number', get('device_id') ?? get('devid'));
  ecs.set('event.code', logId);
  ecs.set('event.action', get('action'));
  ecs.set('message', get('msg'));
  ecs.setAddress('source', get('src'));
  ecs.setPort('source.port', get('src_port'));
  ecs.setAddress('destination', get('dst'));
  ecs.setPort('destination.port', get('dst_port'));
  ecs.set('source.geo.country_name', get('srccountry') === 'Reserved' ? undefined : get('srccountry'));
  ecs.set('network.transport', transport(get('proto')));
  ecs.set('network.protocol', get('service')?.split('/')[0].toLowerCase());
  const service = get('service');
  urlOf(ecs, get('http_url'), get('http_host'), service);
  ecs.set('http.request.method', get('http_method')?.toUpperCase());
  ecs.set('http.request.referrer', get('http_refer'));
  ecs.set('user_agent.original', get('http_agent'));
  setUser(ecs, 'user', get('user_name') ?? get('user'));

  // The signature (or sub-type) an analyst searches for; the main type (Signature Detection,
  // Custom Policy...) is the category.
  const ruleName = get('signature_subclass') ?? subType ?? mainType;
  ecs.set('rule.name', ruleName);
  ecs.set('rule.id', get('signature_id'));
  ecs.set('rule.category', mainType ?? get('owasp_top10'));
  ecs.set('vulnerability.category', get('owasp_top10') ? [get('owasp_top10')] : undefined);
  ecs.set('rule.ruleset', get('policy'));
  setHost(ecs, { ip: normalizeIp(get('dst')) });
  ecs.set('event.category', kind === 'alert' ? ['web', 'intrusion_detection', 'network'] : type === 'traffic' ? ['web', 'network'] : ['host']);
  ecs.setAllIn('fortinet.web', kv);

  const action = get('action')?.toLowerCase().replace(/_/g, ' ');
  let blocked: boolean | null = null;
  if (action) blocked = /403|redirect|period block|block period/.test(action) ? true : blockedFromText(action);

  const level = get('severity_level');
  const pri = get('pri');
  const severity = level
    ? (ATTACK_SEVERITY[level.toLowerCase()] ?? (/^informative$/i.test(level) ? 'info' : null))
    : pri
      ? (LEVEL_SEVERITY[pri.toLowerCase()] ?? null)
      : null;

  const msgId = get('msg_id');
  const time = get('date') && get('time') ? `${get('date')}T${get('time')}` : undefined;
  const vendorEventId = msgId ?? (time ? [get('device_id'), logId, time].filter(Boolean).join(':') : null);

  return single({
    kind,
    occurredAt: fortiTime((k) => str(kv.get(k)), input),
    vendorEventId,
    // msg_id numbers every log of the appliance; without it, only the identical record is the same alert
    identity: msgId ? { parts: [get('device_id') ?? get('devid'), msgId], unique: true } : { parts: [get('device_id') ?? get('devid'), logId, time], unique: false },
    groupKey: null,
    blocked,
    vendorSeverity: level ?? pri ?? null,
    severity: type === 'traffic' ? 'info' : severity,
    ruleName: ruleName ?? null,
    ecs,
  });
}

export function parseFortinetRecord(input: VendorInput): VendorOutcome {
  const label = input.product === 'FORTIWEB' ? 'FortiWeb' : 'FortiGate';
  if (input.product === 'FORTIWEB') {
    const kv = parseKeyValues(input.message);
    return kv.size === 0 ? fail(`${label}: no key=value pairs found`) : fortiWeb(kv, input);
  }
  const fields = readFields(input.message);
  return fields.count === 0 ? fail(`${label}: no key=value pairs found`) : fortiGate(fields, input);
}
