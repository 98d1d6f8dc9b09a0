// Symantec Endpoint Protection Manager syslog (SEPM 12.1 / 14.x external logging).
//   Risk log:     "<Event type>,IP Address: 10.0.0.1,Computer name: PC,...,File path: C:\x,..."
//   Security log: "<Computer>,[SID: 23179] Attack: ... blocked. ...,Local: 10.0.0.1,...,Begin: ..."
//   Other logs (agent activity, scans, policy changes): "Key: value" lists, kept as events.
// Fields are read by label, not position: labels differ across versions ("Inserted" vs "Event
// Insert Time", "User" vs "User Name"), a value may contain commas, and older versions write the
// file path bare, without a "File path:" label.
// SEPM writes "Event time" / "Begin" in UTC (GMT) whatever the server's zone, so they are read as
// UTC; the syslog header time (server-local) is only a fallback.
//
// Severity (SEP has no severity field in these logs; "Risk Level" is used when a version sends it):
//   Risk Level: Very Low / Low -> low, Medium -> medium, High -> high, Very High -> critical.
//   Otherwise risk events: threat removed (quarantined, deleted, cleaned, blocked) -> medium;
//   threat left in place ("Left alone", action failed, "Risk repair failed") -> high;
//   security (IPS) events: blocked -> medium, not blocked -> high; other logs -> info.
import { Ecs, basename, blockedFromText, normalizeIp, normalizeMac, setHost, setUser, type Endpoint } from './ecs';
import { severityFromWord, type SeverityLabel } from './severity';
import { parseTimestamp } from './time';
import { fail, type VendorInput, type VendorOutcome } from './types';

interface SepField {
  key: string; // lower case, single spaces
  label: string;
  value: string;
}

const KEY_VALUE_RE = /^\s*([A-Za-z][A-Za-z0-9 ()/_.#-]{0,60}?):(?:\s(.*)|$)/s;
// Unlabelled tokens of the security log (direction, protocol).
const BARE_TOKEN_RE = /^\s*(inbound|outbound|bidirectional|unknown|tcp|udp|icmp|icmpv6)\s*$/i;
const BARE_PATH_RE = /^\s*(?:[A-Za-z]:\\|\\\\|\/)/;

const RISK_EVENTS = /^(virus found|security risk found|potential risk found|risk repair failed|risk repaired|risk sample submitted|commercial application detected|suspicious behavior detected|sonar detection|heuristic|risk found)/i;

// Lookup keys by label ("Event Insert Time" -> "event insert time"): the same few dozen labels
// on every line, so normalized once each (bounded, for odd senders).
const labelKeys = new Map<string, string>();

function labelKey(label: string): string {
  let key = labelKeys.get(label);
  if (key === undefined) {
    key = label.toLowerCase().replace(/\s+/g, ' ');
    if (labelKeys.size >= 1000) labelKeys.clear();
    labelKeys.set(label, key);
  }
  return key;
}

/** Splits the comma-separated list, joining commas that belong inside a value. */
export function parseSepFields(message: string): { head: string[]; fields: SepField[]; barePaths: string[] } {
  const segments = message.split(',');
  const head: string[] = [];
  const fields: SepField[] = [];
  const barePaths: string[] = [];
  let last: SepField | undefined;
  let lastBare = -1;
  for (const seg of segments) {
    if (BARE_PATH_RE.test(seg)) {
      barePaths.push(seg.trim());
      lastBare = barePaths.length - 1;
      last = undefined;
      continue;
    }
    if (BARE_TOKEN_RE.test(seg)) {
      head.push(seg.trim());
      last = undefined;
      lastBare = -1;
      continue;
    }
    const m = KEY_VALUE_RE.exec(seg);
    // The first column is the event type (risk log) or the computer name (security log), neither
    // of which holds ': '; other logs start straight with a "Key: value".
    if (m && !/^\[SID/i.test(seg.trim())) {
      const label = m[1].trim();
      last = { key: labelKey(label), label, value: (m[2] ?? '').trim() };
      fields.push(last);
      lastBare = -1;
      continue;
    }
    if (seg.trim() === '') continue; // an empty, unlabelled column of older formats
    if (last) last.value = `${last.value},${seg}`;
    else if (lastBare >= 0) barePaths[lastBare] = `${barePaths[lastBare]},${seg}`;
    else head.push(seg.trim());
  }
  return { head, fields, barePaths };
}

// symantec.sep.* names by label key ("event insert time" -> event_insert_time): a few dozen
// labels, so the two regex replaces run once per label (bounded, for odd senders).
const fieldNames = new Map<string, string>();

function fieldName(key: string): string {
  let name = fieldNames.get(key);
  if (name === undefined) {
    name = key.replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
    if (fieldNames.size >= 1000) fieldNames.clear();
    fieldNames.set(key, name);
  }
  return name;
}

const RISK_LEVEL: Record<string, SeverityLabel> = { 'very low': 'low', low: 'low', medium: 'medium', high: 'high', 'very high': 'critical' };

export function parseSymantecRecord(input: VendorInput): VendorOutcome {
  const { ctx } = input;
  const message = input.message.trim();
  if (!message) return fail('Symantec SEP: empty message');
  const { head, fields, barePaths } = parseSepFields(message);
  if (fields.length === 0) return fail('Symantec SEP: no "Key: value" fields found');

  // Every non-empty value by key, in line order, indexed once: about thirty lookups follow.
  const byKey = new Map<string, string[]>();
  for (const f of fields) {
    const v = f.value.trim();
    if (v === '') continue;
    const list = byKey.get(f.key);
    if (list) list.push(v);
    else byKey.set(f.key, [v]);
  }
  const all = (key: string): string[] => byKey.get(key) ?? [];
  const get = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = byKey.get(k)?.[0];
      if (v !== undefined) return v;
    }
    return undefined;
  };

  const ecs = new Ecs();
  ecs.set('observer.vendor', 'Symantec');
  ecs.set('observer.product', 'Endpoint Protection');
  ecs.set('observer.name', get('server name', 'server'));
  for (const f of fields) if (f.value.trim() !== '') ecs.setIn('symantec.sep', fieldName(f.key), f.value.trim());

  const first = head[0] ?? '';
  const sid = head.find((h) => /^\[SID:/i.test(h));
  const isSecurity = !!sid || get('cids signature id', 'intrusion id') !== undefined;
  const riskName = get('risk name');
  const isRisk = !isSecurity && (!!riskName || RISK_EVENTS.test(first));

  const actual = get('actual action');
  const requested = get('requested action');
  const secondary = get('secondary action');
  let blocked: boolean | null;
  let kind: 'alert' | 'event';
  let ruleName: string | undefined;
  let ruleId: string | undefined;
  let severity: SeverityLabel | null;
  let occurredAt: Date | null;

  if (isSecurity) {
    // Security (IPS / firewall) log: head = [computer, "[SID: n] description"], Local/Remote pairs.
    kind = 'alert';
    const description = sid?.replace(/^\[SID:\s*\d*\]\s*/i, '');
    const sidNumber = sid ? /^\[SID:\s*(\d+)\]/i.exec(sid)?.[1] : undefined;
    ruleName = get('cids signature string') ?? description;
    ruleId = get('cids signature id') ?? sidNumber;
    blocked = description ? (/\bblocked\b/i.test(description) ? true : /\bdetected\b|\ballowed\b/i.test(description) ? false : null) : null;
    const locals = all('local');
    const remotes = all('remote');
    const localIp = locals.map(normalizeIp).find(Boolean);
    const remoteIp = remotes.map(normalizeIp).find(Boolean);
    const localMac = locals.map(normalizeMac).find(Boolean);
    const remoteMac = remotes.map(normalizeMac).find((m) => m && m !== '00-00-00-00-00-00');
    const inbound = head.some((h) => /^inbound$/i.test(h)) || /^inbound$/i.test(get('direction') ?? '');
    const [src, dst]: Endpoint[] = inbound
      ? [{ ip: remoteIp, mac: remoteMac }, { ip: localIp, mac: localMac }]
      : [{ ip: localIp, mac: localMac }, { ip: remoteIp, mac: remoteMac }];
    ecs.setAddress('source', src.ip);
    ecs.set('source.mac', src.mac);
    ecs.setAddress('destination', dst.ip);
    ecs.set('destination.mac', dst.mac);
    const localPort = get('local port');
    const remotePort = get('remote port');
    ecs.setPort('source.port', inbound ? remotePort : localPort);
    ecs.setPort('destination.port', inbound ? localPort : remotePort);
    const proto = head.find((h) => /^(tcp|udp|icmp)$/i.test(h));
    ecs.set('network.transport', proto?.toLowerCase());
    ecs.set('network.direction', inbound ? 'inbound' : head.some((h) => /^outbound$/i.test(h)) ? 'outbound' : undefined);
    ecs.set('process.executable', get('application'));
    ecs.set('process.name', basename(get('application')));
    ecs.set('url.original', get('intrusion url'));
    ecs.setHash('process.hash', get('sha-256', 'sha256'));
    ecs.setHash('process.hash', get('md-5', 'md5'));
    setHost(ecs, { name: first && !/^\[SID/i.test(first) ? first : get('computer name'), ip: localIp, mac: localMac });
    ecs.set('message', description);
    ecs.set('event.category', ['intrusion_detection', 'network']);
    severity = blocked === false ? 'high' : 'medium';
    occurredAt = parseTimestamp(get('begin', 'event time'), ctx, { zone: 'UTC' });
  } else {
    kind = isRisk ? 'alert' : 'event';
    ruleName = riskName ?? (first || get('event description', 'description'));
    blocked = isRisk ? blockedFromText(actual) ?? blockedFromText(secondary) : null;
    if (isRisk && /repair failed/i.test(first)) blocked = false;
    const filePath = get('file path') ?? barePaths[0];
    ecs.set('file.path', filePath);
    ecs.set('file.name', basename(filePath));
    ecs.set('file.size', Number(get('file size (bytes)', 'file size')) || undefined);
    const hashType = get('hash type')?.toUpperCase();
    const hash = get('application hash');
    if (hash) {
      const algo = hashType === 'SHA2' || hashType === 'SHA-256' || hashType === 'SHA256' ? 'sha256' : hashType === 'SHA1' || hashType === 'SHA-1' ? 'sha1' : hashType === 'MD5' ? 'md5' : undefined;
      if (algo) ecs.set(`file.hash.${algo}`, hash.toLowerCase());
      else ecs.setHash('file.hash', hash);
    }
    ecs.set('threat.software.name', riskName);
    ecs.set('threat.software.type', get('category type'));
    ecs.set('process.name', get('downloaded by'));
    ecs.set('url.original', get('download site'));
    ecs.set('url.domain', get('web domain'));
    setHost(ecs, { name: get('computer name'), ip: normalizeIp(get('ip address')) });
    ecs.setAddress('source', get('source ip'));
    ecs.set('source.domain', get('source computer name'));
    ecs.set('event.category', isRisk ? ['malware', 'file'] : ['host']);
    ecs.set('message', first || get('event description', 'description'));
    const riskLevel = get('risk level')?.toLowerCase();
    if (riskLevel && RISK_LEVEL[riskLevel]) severity = RISK_LEVEL[riskLevel];
    else if (isRisk) severity = blocked === true ? 'medium' : blocked === false || /left alone/i.test(actual ?? '') ? 'high' : 'medium';
    else severity = severityFromWord(get('severity') ?? '') ?? 'info';
    occurredAt = parseTimestamp(get('event time', 'begin', 'begin time'), ctx, { zone: 'UTC' });
  }

  const user = get('user name', 'user', 'user1');
  if (user && !/^(none|n\/a|system)$/i.test(user)) setUser(ecs, 'user', user);
  ecs.set('event.action', actual ?? requested);
  ecs.set('rule.name', ruleName);
  ecs.set('rule.id', ruleId);
  ecs.set('symantec.sep.event_type', first && !/^\[SID/i.test(first) && !isSecurity ? first : undefined);

  return {
    ok: true,
    events: [
      {
        kind,
        occurredAt,
        vendorEventId: null,
        groupKey: null,
        blocked,
        vendorSeverity: get('risk level', 'severity') ?? null,
        severity,
        ruleName: ruleName ?? null,
        ecs,
      },
    ],
  };
}
