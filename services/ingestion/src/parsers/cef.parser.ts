// ArcSight Common Event Format (CEF) for Trend Micro (Apex Central, Deep Security), Imperva
// SecureSphere, FireEye (NX/EX/HX CEF notifications) and any other CEF source; LEEF records are
// converted to the same shape by leef.parser.ts and mapped here.
//
// Severity (CEF header, number 0-10 or word):
//   0 -> info, 1-3 -> low, 4-6 -> medium, 7-8 -> high, 9-10 -> critical;
//   Low -> low, Medium -> medium, High -> high, Very-High / Critical -> critical,
//   Informative / Informational -> info (Imperva), Unknown -> unknown (finished as medium).
// Kind: an informational record (severity 0 / Informative) is an 'event', anything else an 'alert'.
import { Ecs, affectedEndpoint, basename, blockedFromText, dotted, joinPath, normalizeIp, normalizeMac, setHost, setUser, str, transport, type Endpoint } from './ecs';
import { severityFromScale10, severityFromWord, type SeverityLabel } from './severity';
import { parseTimestamp } from './time';
import { fireEyeApplianceKey } from './alert-identity';
import { fail, type EventDraft, type VendorInput, type VendorOutcome } from './types';

export interface CefRecord {
  format: 'CEF' | 'LEEF';
  version: string;
  deviceVendor: string;
  deviceProduct: string;
  deviceVersion: string;
  signatureId: string;
  name: string;
  severity: string;
  /** Extension keys as written, values unescaped. For LEEF, keys renamed to their CEF equivalents. */
  extensions: Map<string, string>;
}

const CEF_START_RE = /^(?:[^\s|{[]+\s+){0,2}?(?=CEF:\s?\d)/;

/** Where "CEF:" starts in a syslog message (allowing a stray host/tag before it), or -1. */
export function findCef(message: string): number {
  const m = CEF_START_RE.exec(message.trimStart());
  if (!m) return -1;
  return message.length - message.trimStart().length + m[0].length;
}

const HEADER_FIELDS = 'CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension';

export function parseCef(message: string): { ok: true; record: CefRecord } | { ok: false; reason: string } {
  const start = findCef(message);
  if (start < 0) return fail('CEF: record does not start with "CEF:<version>|"');
  const text = message.slice(start);
  const fields: string[] = [];
  let current = '';
  let i = 0;
  for (; i < text.length && fields.length < 7; i++) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '|' || text[i + 1] === '\\')) {
      current += text[i + 1];
      i++;
    } else if (c === '|') {
      fields.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  let extensionText: string;
  if (fields.length === 7) {
    extensionText = text.slice(i);
  } else if (fields.length === 6) {
    // The severity was the last header field and the trailing '|' is missing.
    fields.push(current);
    extensionText = '';
  } else {
    return fail(`CEF: header has ${fields.length + 1} fields, expected 8 (${HEADER_FIELDS})`);
  }
  const version = /^CEF:\s?(\d+(?:\.\d+)?)$/.exec(fields[0].trim());
  if (!version) return fail(`CEF: bad version field "${fields[0].slice(0, 20)}"`);
  if (!fields[1].trim() && !fields[2].trim()) return fail('CEF: Device Vendor and Device Product are both empty');
  return {
    ok: true,
    record: {
      format: 'CEF',
      version: version[1],
      deviceVendor: fields[1].trim(),
      deviceProduct: fields[2].trim(),
      deviceVersion: fields[3].trim(),
      signatureId: fields[4].trim(),
      name: fields[5].trim(),
      severity: fields[6].trim(),
      extensions: parseCefExtensions(extensionText),
    },
  };
}

const EXT_KEY_RE = /(?:^|\s)([A-Za-z0-9_.[\]-]{1,64})=/g;

function unescapeExtension(value: string): string {
  if (!value.includes('\\')) return value; // most values have no escape
  // One pass by character code, appending the runs between escapes (a replace callback per
  // escape, or an array of pieces, grew faster than the value on one made of backslashes).
  let out = '';
  let from = 0;
  const n = value.length;
  for (let i = 0; i + 1 < n; i++) {
    if (value.charCodeAt(i) !== 0x5c) continue;
    const c = value.charCodeAt(i + 1);
    // \= \\ \| \n \r; anything else is not a CEF escape (a Windows path written unescaped) and stays
    const plain = c === 0x3d ? '=' : c === 0x5c ? '\\' : c === 0x7c ? '|' : c === 0x6e ? '\n' : c === 0x72 ? '\r' : null;
    if (plain === null) continue;
    out += value.slice(from, i) + plain;
    i++;
    from = i + 1;
  }
  return from === 0 ? value : out + value.slice(from);
}

/**
 * `key=value` pairs separated by spaces; a value runs until the space before the next `key=`, so
 * values may contain spaces. Escapes: \= \\ \n \r (and \| tolerated). First occurrence of a key wins.
 */
export function parseCefExtensions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const matches: Array<{ key: string; valueStart: number; matchStart: number }> = [];
  EXT_KEY_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = EXT_KEY_RE.exec(text)) !== null) {
    matches.push({ key: m[1], valueStart: m.index + m[0].length, matchStart: m.index });
  }
  for (let k = 0; k < matches.length; k++) {
    const end = k + 1 < matches.length ? matches[k + 1].matchStart : text.length;
    // trimEnd strips what /\s+$/ would, without the regex trying every position of the value
    const raw = text.slice(matches[k].valueStart, end).trimEnd();
    if (!out.has(matches[k].key)) out.set(matches[k].key, unescapeExtension(raw));
  }
  return out;
}

/** Severity label from a CEF/LEEF severity field; null for Unknown or unreadable. */
export function cefSeverity(text: string): SeverityLabel | null {
  const t = text.trim();
  if (t === '') return null;
  if (/^\d+(\.\d+)?$/.test(t)) return severityFromScale10(Number(t));
  if (/^unknown$/i.test(t)) return null;
  return severityFromWord(t);
}

type Flavor = 'fireeye' | 'trend' | 'imperva' | 'generic';

function flavorOf(record: CefRecord, input: VendorInput): Flavor {
  const vendor = `${record.deviceVendor} ${record.deviceProduct}`.toLowerCase();
  if (input.product.startsWith('FIREEYE_') || /fireeye|trellix/.test(vendor)) return 'fireeye';
  if (input.product === 'TREND_MICRO' || vendor.includes('trend micro')) return 'trend';
  if (input.product === 'IMPERVA_SECURESPHERE' || vendor.includes('imperva')) return 'imperva';
  return 'generic';
}

const CUSTOM_KEY_RE = /^(cs\d+|cn\d+|cfp\d+|c6a\d+|flexString\d+|flexNumber\d+|flexDate\d+|deviceCustomDate\d+|deviceCustomNumber\d+|deviceCustomString\d+)$/;

/** Custom fields by their labels: cs1Label=Policy cs1=x -> { Policy: 'x' }. */
function customFields(ext: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of ext) {
    if (!CUSTOM_KEY_RE.test(key)) continue;
    const label = ext.get(`${key}Label`)?.trim();
    if (label && value.trim() !== '' && !out.has(label)) out.set(label, value);
  }
  return out;
}

function labelled(custom: Map<string, string>, re: RegExp): string | undefined {
  for (const [label, value] of custom) if (re.test(label) && value.trim() !== '') return value.trim();
  return undefined;
}

const MALWARE_LABEL_RE = /^(sname|malware.?name|virus.?name|virus_?malware_?name|spyware_?grayware_?name|threat.?name|malware|virus)$/i;

/** Maps a CEF (or LEEF-converted) record to an event draft. */
export function cefRecordToDraft(record: CefRecord, input: VendorInput): EventDraft {
  const { ctx } = input;
  const ext = record.extensions;
  const get = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = str(ext.get(k));
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const custom = customFields(ext);
  const flavor = flavorOf(record, input);
  const ns = record.format === 'CEF' ? 'cef' : 'leef';
  const ecs = new Ecs();

  ecs.set('observer.vendor', record.deviceVendor);
  ecs.set('observer.product', record.deviceProduct);
  ecs.set('observer.version', record.deviceVersion);
  // Trend Micro's dvchost names the protected endpoint, not the reporting server.
  if (flavor !== 'trend') ecs.set('observer.hostname', get('dvchost'));
  ecs.set('observer.ip', normalizeIp(get('dvc')) ? [normalizeIp(get('dvc'))] : undefined);
  ecs.set('observer.serial_number', get('deviceExternalId'));

  const severity = cefSeverity(record.severity);
  // Deep Security Manager's own records (sign-ins, policy changes) are system events.
  const systemRecord = flavor === 'trend' && /deep security manager/i.test(record.deviceProduct);
  const kind: 'alert' | 'event' = severity === 'info' || systemRecord ? 'event' : 'alert';

  const occurredAt =
    parseTimestamp(get('rt'), ctx) ?? parseTimestamp(get('start'), ctx) ?? parseTimestamp(get('end'), ctx) ?? null;

  ecs.set('event.code', record.signatureId);
  ecs.set('event.action', get('act'));
  ecs.set('rule.id', record.signatureId);
  // The malware named (FireEye's sname, Trend Micro's virus name) is what an analyst searches
  // for; the event name (malware-callback, Virus found) is then the category.
  const malwareName = labelled(custom, MALWARE_LABEL_RE);
  const ruleName = malwareName ?? str(record.name) ?? str(record.signatureId);
  ecs.set('rule.name', ruleName);
  ecs.set('rule.category', malwareName ? (get('cat') ?? str(record.name)) : get('cat'));
  ecs.set('message', get('msg'));
  const outcome = get('outcome')?.toLowerCase().replace(/^\//, '');
  if (outcome === 'success' || outcome === 'failure') ecs.set('event.outcome', outcome);

  // Network endpoints
  const src: Endpoint = { ip: normalizeIp(get('src')), name: get('shost'), mac: normalizeMac(get('smac')) };
  const dst: Endpoint = { ip: normalizeIp(get('dst')), name: get('dhost'), mac: normalizeMac(get('dmac')) };
  ecs.setAddress('source', get('src'));
  ecs.set('source.domain', src.name);
  ecs.setPort('source.port', get('spt'));
  ecs.set('source.mac', src.mac);
  ecs.setAddress('destination', get('dst'));
  ecs.set('destination.domain', dst.name);
  ecs.setPort('destination.port', get('dpt'));
  ecs.set('destination.mac', dst.mac);
  ecs.setAddress('source.nat', get('sourceTranslatedAddress'));
  ecs.setAddress('destination.nat', get('destinationTranslatedAddress'));
  setUser(ecs, 'source.user', get('suser'));
  setUser(ecs, 'destination.user', get('duser'));
  setUser(ecs, 'user', get('duser', 'suser'));
  ecs.set('network.transport', transport(get('proto')));
  ecs.set('network.protocol', get('app')?.toLowerCase());
  const direction = get('deviceDirection');
  if (direction === '0') ecs.set('network.direction', 'inbound');
  if (direction === '1') ecs.set('network.direction', 'outbound');

  // Web
  const request = get('request');
  ecs.set('url.original', request);
  if (request && /^[a-z][a-z0-9+.-]*:\/\//i.test(request)) ecs.set('url.full', request);
  ecs.set('http.request.method', get('requestMethod')?.toUpperCase());
  ecs.set('http.request.referrer', get('requestContext'));
  ecs.set('user_agent.original', get('requestClientApplication'));

  // File and process
  const fname = get('fname');
  const filePath = get('filePath');
  const fileName = basename(fname) ?? basename(filePath);
  ecs.set('file.name', fileName);
  if (filePath) ecs.set('file.path', /[\\/]$/.test(filePath) && fileName && fname ? joinPath(filePath, fileName) : filePath);
  else if (fname && fname !== fileName) ecs.set('file.path', fname);
  ecs.set('file.size', Number(get('fsize')) || undefined);
  ecs.setHash('file.hash', get('fileHash'));
  for (const label of ['md5', 'sha1', 'sha256']) ecs.setHash('file.hash', labelled(custom, new RegExp(`^(file.?)?${label}$`, 'i')));
  // Deep Security names its hashes TrendMicroDsFileMD5 / ...SHA1 / ...SHA256.
  for (const [k, v] of ext) if (/FileMD5$|FileSHA1$|FileSHA256$/i.test(k)) ecs.setHash('file.hash', v);
  ecs.set('process.name', basename(get('sproc', 'dproc')));
  ecs.set('process.pid', Number(get('spid', 'dpid')) || undefined);

  // Threat and links
  const malware = labelled(custom, MALWARE_LABEL_RE);
  ecs.set('threat.software.name', malware);
  const link = labelled(custom, /^(link|alert.?url|url|console.?url)$/i);
  if (link && /^https?:\/\//i.test(link)) ecs.set('event.url', link);

  // Which sensor action counts as prevention: act, plus Trend's first/second action results.
  const results = [get('act'), labelled(custom, /action.?result/i), labelled(custom, /^resolution$/i)];
  let blocked = blockedFromText(...results);
  if (flavor === 'imperva' && get('act')?.toLowerCase() === 'none') blocked = false;

  // The endpoint the record is about.
  if (flavor === 'trend') {
    setHost(ecs, { name: get('dhost', 'dvchost'), ip: normalizeIp(get('dst', 'dvc')), mac: dst.mac });
  } else if (flavor === 'imperva') {
    setHost(ecs, dst);
  } else if (src.ip || dst.ip || src.name || dst.name) {
    setHost(ecs, affectedEndpoint(src, dst, flavor === 'fireeye' ? 'source' : 'destination'));
  } else {
    setHost(ecs, { name: get('dvchost') });
  }

  // Categories
  const categories: string[] = [];
  const text = `${record.signatureId} ${record.name} ${get('cat') ?? ''}`.toLowerCase();
  if (malware || /virus|malware|trojan|ransom|spyware/.test(text) || (flavor === 'trend' && /^av:/i.test(record.signatureId))) categories.push('malware');
  if (request || flavor === 'imperva') categories.push('web');
  if (kind === 'alert') categories.push('intrusion_detection');
  if (systemRecord && /sign|log ?in|log ?on|auth/i.test(record.name)) categories.push('authentication');
  if (src.ip && dst.ip) categories.push('network');
  if (!categories.length) categories.push('host');
  ecs.set('event.category', categories);

  const vendorEventId =
    get('externalId') ?? labelled(custom, /^(alert|event|incident|violation)[ _-]?id$/i) ?? null;

  ecs.set(dotted(ns, 'version'), record.version);
  ecs.set(dotted(ns, 'device.vendor'), record.deviceVendor);
  ecs.set(dotted(ns, 'device.product'), record.deviceProduct);
  ecs.set(dotted(ns, 'device.version'), record.deviceVersion);
  ecs.set(dotted(ns, 'device.event_class_id'), record.signatureId);
  ecs.set(dotted(ns, 'name'), record.name);
  ecs.set(dotted(ns, 'severity'), record.severity);
  ecs.setAllIn(dotted(ns, 'extensions'), ext);
  ecs.setAllIn(dotted(ns, 'custom'), custom);

  return {
    kind,
    occurredAt,
    vendorEventId,
    // A FireEye alert id names one alert of its appliance (the same as in its JSON and mail
    // notifications); other products' ids (Imperva's alert id gathers many violations) do not.
    identity:
      flavor === 'fireeye' && vendorEventId
        ? { parts: [fireEyeApplianceKey(get('dvchost')), vendorEventId], unique: true }
        : { parts: [get('deviceExternalId'), get('dvchost'), record.deviceProduct, record.signatureId, vendorEventId], unique: false },
    groupKey: null,
    blocked,
    vendorSeverity: str(record.severity) ?? null,
    severity,
    ruleName: ruleName ?? null,
    ecs,
  };
}

export function parseCefRecord(input: VendorInput): VendorOutcome {
  const parsed = parseCef(input.message);
  if (!parsed.ok) return parsed;
  return { ok: true, events: [cefRecordToDraft(parsed.record, input)] };
}
