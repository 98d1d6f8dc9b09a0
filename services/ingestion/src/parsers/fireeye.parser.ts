// FireEye (Trellix) NX, EX, CM and HX "extended" JSON notifications, sent over HTTPS or as the body
// of an alert e-mail, and the text notifications ("text-normal", "text-concise") of alert e-mails.
// (FireEye CEF over syslog goes through cef.parser.ts.)
//   {msg, product, version, appliance, appliance-id, alert: {...} | [{...}, ...]}
// Field names are matched without regard to case and separators, so the CM-forwarded camelCase
// variant (srcIP, dstIP, alertURL, malwareName, deviceIP) and the hyphenated one (alert-url,
// appliance-id) read alike. HX alerts add hostname, agentID, userID, process, malwarePath,
// malwareMD5; the HX API alert shape (_id, agent._id, event_at, indicator, event_values,
// resolution) is read too.
//
// Text notifications are "Label: value" lines (Alert ID, Alert Type, Severity, Occurred, Source IP,
// Malware Name, MD5...; concise ones carry fewer). They are read into the shape of the JSON alert,
// so both map to ECS alike; a label seen again starts the next alert of a digest.
//
// Severity: minr -> low, majr -> high, crit -> critical (also minor/major/critical words,
//   numbers 0-10 as in CEF). Every notification is an alert.
// Blocked: action "blocked" (NX sent resets / dropped the traffic), HX resolution BLOCK or
//   QUARANTINED -> true; "notified" / "alert" -> false.
import { fireEyeApplianceKey } from './alert-identity';
import { Ecs, affectedEndpoint, basename, blockedFromText, normalizeIp, normalizeMac, setHost, setUser, str } from './ecs';
import { asArray, formatJsonError, isObject, parseJson, pick } from './json-text';
import { severityFromScale10, severityFromWord, type SeverityLabel } from './severity';
import { toDate } from './time';
import { fail, type EventDraft, type SensorProduct, type VendorInput, type VendorOutcome } from './types';

const PRODUCT_NAMES: Partial<Record<SensorProduct, string>> = {
  FIREEYE_NX: 'NX',
  FIREEYE_EX: 'EX',
  FIREEYE_CM: 'CM',
  FIREEYE_HX: 'HX',
};

const FIREEYE_SEVERITY: Record<string, SeverityLabel> = { minr: 'low', majr: 'high', crit: 'critical' };

function fireEyeSeverity(text: string | undefined): SeverityLabel | null {
  if (!text) return null;
  const t = text.trim().toLowerCase();
  if (FIREEYE_SEVERITY[t]) return FIREEYE_SEVERITY[t];
  if (/^\d+(\.\d+)?$/.test(t)) return severityFromScale10(Number(t));
  return severityFromWord(t);
}

function fireEyeBlocked(action: string | undefined): boolean | null {
  const a = action?.trim().toLowerCase();
  if (!a) return null;
  if (a === 'blocked' || a === 'block' || a === 'quarantined' || a === 'contained') return true;
  if (a === 'notified' || a === 'alert' || a === 'alerted') return false;
  return blockedFromText(a);
}

/** Alerts in one notification: `alert` (object or array), HX API `data.entries`, or the doc itself. */
function alertsOf(doc: Record<string, unknown>): unknown[] {
  const alert = pick(doc, 'alert', 'alerts');
  if (alert !== undefined) return asArray(alert);
  const entries = pick(pick(doc, 'data'), 'entries');
  if (Array.isArray(entries)) return entries;
  if (pick(doc, 'name', 'occurred', 'event_at', 'alertType') !== undefined) return [doc];
  return [];
}

function fireEyeAlert(doc: Record<string, unknown>, a: Record<string, unknown>, input: VendorInput): EventDraft {
  const { ctx } = input;
  const s = (obj: unknown, ...names: string[]): string | undefined => str(pick(obj, ...names));
  const ecs = new Ecs();

  const product = s(a, 'product') ?? s(doc, 'product') ?? PRODUCT_NAMES[input.product];
  ecs.set('observer.vendor', 'FireEye');
  ecs.set('observer.product', product);
  // The observer is the appliance that detected the alert. A CM forwarding its sensors' alerts
  // names each one (deviceName, deviceIP) inside the alert, and itself at the top: then the CM
  // is kept as fireeye.appliance, and its name, id and version do not describe the sensor.
  const device = s(a, 'deviceName', 'applianceName');
  const appliance = s(doc, 'appliance') ?? s(a, 'appliance');
  const forwarded = device !== undefined && appliance !== undefined && device !== appliance;
  ecs.set('observer.name', device ?? appliance);
  ecs.set('observer.serial_number', s(a, 'deviceId') ?? (forwarded ? undefined : (s(doc, 'appliance-id') ?? s(a, 'appliance-id'))));
  ecs.set('observer.version', s(a, 'sc-version') ?? (forwarded ? undefined : (s(doc, 'version') ?? s(a, 'version'))));
  const deviceIp = normalizeIp(s(a, 'deviceIP', 'applianceIP') ?? s(doc, 'deviceIP'));
  if (deviceIp) ecs.set('observer.ip', [deviceIp]);
  if (forwarded) {
    ecs.set('fireeye.appliance.name', appliance);
    ecs.set('fireeye.appliance.id', s(doc, 'appliance-id') ?? s(a, 'appliance-id'));
    ecs.set('fireeye.appliance.product', s(doc, 'product'));
    ecs.set('fireeye.appliance.version', s(doc, 'version'));
  }

  const hxEvent = pick(a, 'event_values', 'eventValues');
  const hxAgent = pick(a, 'agent');
  const id = s(a, 'id', 'alertId', '_id', 'uuid');
  const name =
    s(a, 'name', 'alertType', 'alert-type') ?? s(pick(a, 'indicator'), 'display_name', 'name') ?? s(a, 'source', 'type');
  const severityText = s(a, 'severity', 'sev');
  const action = s(a, 'action', 'resolution');

  // Network endpoints: nested src/dst objects, or flat camelCase keys.
  const srcObj = pick(a, 'src');
  const dstObj = pick(a, 'dst');
  const srcIp = normalizeIp(typeof srcObj === 'string' ? srcObj : (s(srcObj, 'ip') ?? s(a, 'srcIP', 'sourceIP', 'src-ip') ?? s(hxEvent, 'ipv4NetworkEvent/localIP')));
  const dstIp = normalizeIp(typeof dstObj === 'string' ? dstObj : (s(dstObj, 'ip') ?? s(a, 'dstIP', 'destinationIP', 'dst-ip') ?? s(hxEvent, 'ipv4NetworkEvent/remoteIP')));
  const srcHost = s(srcObj, 'host', 'hostname') ?? s(a, 'srcHost', 'srcHostname');
  const dstHost = s(dstObj, 'host', 'hostname') ?? s(a, 'dstHost', 'dstHostname');
  const srcMac = normalizeMac(s(srcObj, 'mac') ?? s(a, 'srcMac'));
  const dstMac = normalizeMac(s(dstObj, 'mac') ?? s(a, 'dstMac'));
  ecs.setAddress('source', srcIp);
  ecs.setPort('source.port', s(srcObj, 'port') ?? s(a, 'srcPort', 'sourcePort') ?? s(hxEvent, 'ipv4NetworkEvent/localPort'));
  ecs.set('source.domain', srcHost);
  ecs.set('source.mac', srcMac);
  ecs.setAddress('destination', dstIp);
  ecs.setPort('destination.port', s(dstObj, 'port') ?? s(a, 'dstPort', 'destinationPort') ?? s(hxEvent, 'ipv4NetworkEvent/remotePort'));
  ecs.set('destination.domain', dstHost);
  ecs.set('destination.mac', dstMac);
  const vlan = s(srcObj, 'vlan');
  if (vlan && vlan !== '0') ecs.set('network.vlan.id', vlan);

  // E-mail (EX)
  const mailFrom = s(srcObj, 'smtp-mail-from') ?? s(a, 'smtpMailFrom', 'sender');
  const mailTo = asArray(pick(dstObj, 'smtp-to') ?? pick(a, 'smtpTo', 'recipient')).map((v) => str(v)).filter(Boolean);
  const smtp = pick(a, 'smtp-message', 'smtpMessage');
  if (mailFrom) ecs.set('email.from.address', [mailFrom]);
  if (mailTo.length) ecs.set('email.to.address', mailTo);
  ecs.set('email.subject', s(smtp, 'subject') ?? s(a, 'subject'));
  ecs.set('email.message_id', s(smtp, 'id', 'message-id') ?? s(a, 'messageId'));
  if (mailTo.length) ecs.set('user.email', mailTo[0]);

  // Malware: explanation.malware-detected.malware (object or array), or flat malware* keys.
  const explanation = pick(a, 'explanation');
  const malwares = asArray(pick(pick(explanation, 'malware-detected', 'malwareDetected'), 'malware')).filter(isObject);
  const firstMalware = malwares[0];
  const malwareName = s(firstMalware, 'name') ?? s(a, 'malwareName', 'malware-name');
  const fileName = s(firstMalware, 'original', 'filename') ?? s(a, 'fileName', 'filename');
  const malwarePath = s(a, 'malwarePath', 'filePath') ?? s(hxEvent, 'fileWriteEvent/fullPath');
  ecs.set('threat.software.name', malwareName);
  ecs.set('threat.software.type', s(firstMalware, 'stype', 'type') ?? s(a, 'malwareType'));
  ecs.set('file.path', malwarePath);
  ecs.set('file.name', fileName ?? basename(malwarePath));
  ecs.setHash('file.hash', s(firstMalware, 'md5sum', 'md5') ?? s(a, 'malwareMD5', 'md5') ?? s(hxEvent, 'fileWriteEvent/md5'));
  ecs.setHash('file.hash', s(firstMalware, 'sha256') ?? s(a, 'malwareSHA256', 'sha256'));
  ecs.setHash('file.hash', s(firstMalware, 'sha1') ?? s(a, 'malwareSHA1'));
  for (const m of malwares) ecs.push('related.hash', s(m, 'md5sum', 'md5')?.toLowerCase(), s(m, 'sha256')?.toLowerCase());
  ecs.push('related.hash', ecs.get('file.hash.md5'), ecs.get('file.hash.sha256'));
  const url = s(firstMalware, 'url') ?? s(a, 'url') ?? s(hxEvent, 'urlMonitorEvent/requestUrl');
  ecs.set('url.original', url);
  if (url && /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) ecs.set('url.full', url);

  // Command and control services (callbacks)
  const cnc = asArray(pick(pick(explanation, 'cnc-services', 'cncServices'), 'cnc-service', 'cncService')).filter(isObject);
  ecs.set(
    'fireeye.cnc_services',
    cnc.map((c) => ({ address: s(c, 'address'), port: s(c, 'port'), protocol: s(c, 'protocol'), channel: s(c, 'channel') })),
  );
  ecs.set('fireeye.analysis', s(explanation, 'analysis'));
  ecs.set(
    'fireeye.malware',
    malwares.map((m) => ({ name: s(m, 'name'), type: s(m, 'type'), stype: s(m, 'stype'), md5: s(m, 'md5sum', 'md5'), sha256: s(m, 'sha256') })),
  );

  // HX endpoint, user and process
  const agentId = s(a, 'agentID', 'agentId', 'agent-id') ?? s(hxAgent, '_id', 'id');
  const hostName = s(a, 'hostname', 'hostName', 'computerName') ?? s(hxAgent, 'hostname');
  const hostIp = normalizeIp(s(a, 'hostIP', 'agentIP') ?? s(hxAgent, 'ip', 'primary_ip_address'));
  setUser(ecs, 'user', s(a, 'userID', 'userId', 'user', 'username') ?? s(hxEvent, 'processEvent/username'));
  const proc = s(a, 'process', 'processPath') ?? s(hxEvent, 'processEvent/processPath');
  ecs.set('process.executable', proc && /[\\/]/.test(proc) ? proc : undefined);
  ecs.set('process.name', basename(s(hxEvent, 'processEvent/process') ?? proc));
  ecs.set('process.command_line', s(a, 'commandLine', 'processCmdLine') ?? s(hxEvent, 'processEvent/processCmdLine'));
  ecs.setHash('process.hash', s(a, 'processMD5') ?? s(hxEvent, 'processEvent/md5'));

  if (hostName || agentId || hostIp) {
    ecs.set('host.name', hostName);
    ecs.set('host.id', agentId);
    if (hostIp) ecs.push('host.ip', hostIp);
  } else if (srcIp || dstIp || srcHost || dstHost) {
    // NX: the internal machine (the infected client of a callback, the target of an inbound exploit).
    setHost(ecs, affectedEndpoint({ ip: srcIp, name: srcHost, mac: srcMac }, { ip: dstIp, name: dstHost, mac: dstMac }, 'source'));
  }

  const alertUrl = s(a, 'alert-url', 'alertURL', 'url_link');
  if (alertUrl && /^https?:\/\//i.test(alertUrl)) ecs.set('event.url', alertUrl);
  ecs.set('event.action', action);
  // The malware (Trojan.Emotet) is what an analyst searches for; the alert type
  // (malware-callback) is its category. Without a malware name, the alert type or HX indicator.
  const ruleName = malwareName ?? name;
  ecs.set('rule.name', ruleName);
  ecs.set('rule.category', name);
  ecs.set('rule.id', s(a, 'sid', 'signature-id') ?? s(pick(a, 'indicator'), '_id'));

  const categories: string[] = [];
  const isMail = !!mailFrom || mailTo.length > 0 || input.product === 'FIREEYE_EX' || /email/i.test(product ?? '');
  if (malwareName || malwares.length || /malware|infection|callback|virus/i.test(name ?? '')) categories.push('malware');
  if (isMail) categories.push('email');
  categories.push('intrusion_detection');
  if (srcIp || dstIp) categories.push('network');
  ecs.set('event.category', categories);

  const occurred = pick(a, 'occurred', 'occurredAt', 'event_at', 'eventAt', 'matched_at', 'reported_at', 'time', 'timestamp');
  return {
    kind: 'alert',
    occurredAt: toDate(occurred, ctx),
    vendorEventId: id ?? null,
    // An alert id is unique on the appliance that detected it (a CM forwards several).
    identity: { parts: [fireEyeApplianceKey(device ?? appliance), id], unique: !!id },
    groupKey: null,
    blocked: fireEyeBlocked(action),
    vendorSeverity: severityText ?? null,
    severity: fireEyeSeverity(severityText),
    ruleName: ruleName ?? null,
    ecs,
  };
}

// Text notification labels, folded (lower case, letters and digits only), and where the JSON
// notification keeps the same datum. Bare "from"/"to"/"date" are left out: a forwarded alert mail
// quotes its own headers with them.
type TextPart = 'doc' | 'alert' | 'src' | 'dst' | 'recipients' | 'smtp' | 'explanation' | 'malware' | 'cnc';

const TEXT_LABELS = new Map<string, [TextPart, string]>();
const textLabels = (part: TextPart, key: string, ...labels: string[]): void => {
  for (const label of labels) TEXT_LABELS.set(label, [part, key]);
};
textLabels('doc', 'appliance', 'appliance', 'appliancename');
textLabels('doc', 'appliance-id', 'applianceid');
textLabels('doc', 'product', 'product', 'productname');
textLabels('doc', 'version', 'version', 'productversion', 'softwareversion');
textLabels('alert', 'id', 'id', 'alertid');
textLabels('alert', 'name', 'name', 'alertname', 'alerttype', 'eventtype');
textLabels('alert', 'severity', 'severity', 'alertseverity');
textLabels('alert', 'occurred', 'occurred', 'occurredat', 'occurredtime', 'alerttime', 'eventtime');
textLabels('alert', 'action', 'action', 'actiontaken');
textLabels('alert', 'alert-url', 'alerturl', 'alertlink');
textLabels('alert', 'url', 'url', 'malwareurl', 'maliciousurl');
textLabels('alert', 'sid', 'sid', 'signatureid');
textLabels('alert', 'deviceName', 'devicename', 'sensor', 'sensorname');
textLabels('alert', 'deviceIP', 'deviceip', 'sensorip');
textLabels('src', 'ip', 'srcip', 'sourceip', 'srcipaddress', 'sourceipaddress');
textLabels('src', 'port', 'srcport', 'sourceport');
textLabels('src', 'mac', 'srcmac', 'sourcemac', 'srcmacaddress', 'sourcemacaddress');
textLabels('src', 'host', 'srchost', 'sourcehost', 'srchostname', 'sourcehostname', 'hostname');
textLabels('src', 'vlan', 'vlan', 'srcvlan');
textLabels('src', 'smtp-mail-from', 'sender', 'mailfrom', 'smtpmailfrom');
textLabels('dst', 'ip', 'dstip', 'destinationip', 'dstipaddress', 'destinationipaddress');
textLabels('dst', 'port', 'dstport', 'destinationport');
textLabels('dst', 'mac', 'dstmac', 'destinationmac', 'dstmacaddress', 'destinationmacaddress');
textLabels('dst', 'host', 'dsthost', 'destinationhost', 'dsthostname', 'destinationhostname');
textLabels('recipients', 'smtp-to', 'recipient', 'recipients', 'rcptto', 'smtpto');
textLabels('smtp', 'subject', 'subject', 'emailsubject', 'mailsubject');
textLabels('smtp', 'id', 'messageid', 'smtpmessageid', 'emailmessageid');
textLabels('explanation', 'analysis', 'analysis', 'analysistype');
textLabels('malware', 'name', 'malware', 'malwarename', 'sname', 'signaturename');
textLabels('malware', 'stype', 'malwaretype', 'stype');
textLabels('malware', 'type', 'filetype', 'objecttype');
textLabels('malware', 'original', 'filename', 'original', 'originalfilename', 'attachment', 'attachmentname');
textLabels('malware', 'md5sum', 'md5', 'md5sum', 'malwaremd5');
textLabels('malware', 'sha1', 'sha1', 'sha1sum');
textLabels('malware', 'sha256', 'sha256', 'sha256sum', 'malwaresha256');
textLabels('cnc', 'address', 'cnchost', 'cncaddress', 'cncserver');
textLabels('cnc', 'port', 'cncport');
textLabels('cnc', 'protocol', 'cncprotocol');
textLabels('cnc', 'channel', 'cncchannel', 'channel');

// A label in words ("Alert ID", "Source MAC", "CnC Channel") up to the first colon; the value
// may hold colons (times, MAC addresses, URLs). Trailing blanks are trimmed after the match: a
// lazy value before `\s*$` backtracks quadratically on a long run of blanks.
const TEXT_LINE = /^\s*([A-Za-z][A-Za-z0-9 ()/_.-]{0,39}?)\s*:\s*(\S.*)/;

type Fields = Record<string, string>;

interface TextAlert {
  parts: Record<'alert' | 'src' | 'dst' | 'smtp' | 'explanation', Fields>;
  recipients: string[];
  malware: Fields[];
  cnc: Fields[];
}

function emptyTextAlert(): TextAlert {
  return { parts: { alert: {}, src: {}, dst: {}, smtp: {}, explanation: {} }, recipients: [], malware: [], cnc: [] };
}

/** The JSON notification alert holding what a text notification alert says. */
function jsonShaped(t: TextAlert): Record<string, unknown> {
  const { alert, src, dst, smtp, explanation } = t.parts;
  return {
    ...alert,
    src,
    dst: { ...dst, 'smtp-to': t.recipients },
    'smtp-message': smtp,
    explanation: { ...explanation, 'malware-detected': { malware: t.malware }, 'cnc-services': { 'cnc-service': t.cnc } },
  };
}

/** A text notification's alerts; null when the text has no alert ID or alert type label at all. */
function textNotification(text: string, input: VendorInput): VendorOutcome | null {
  const doc: Fields = {};
  const alerts = [emptyTextAlert()];
  for (const line of text.split(/\r\n|\n|\r/)) {
    const m = TEXT_LINE.exec(line);
    const field = m ? TEXT_LABELS.get(m[1].toLowerCase().replace(/[^a-z0-9]/g, '')) : undefined;
    if (!m || !field) continue;
    const [part, key] = field;
    const value = m[2].trimEnd();
    let current = alerts[alerts.length - 1];
    if (part === 'doc') {
      // a digest repeats the appliance lines per alert: they describe the whole notification
      doc[key] ??= value;
    } else if (part === 'recipients') {
      // one per line, or a list on one line ("ito@corp.example, ogawa@corp.example")
      current.recipients.push(...value.split(/[,;]/).map((r) => r.trim()).filter(Boolean));
    } else if (part === 'malware' || part === 'cnc') {
      const list = current[part];
      if (!list.length || list[list.length - 1][key] !== undefined) list.push({});
      list[list.length - 1][key] = value;
    } else {
      if (current.parts[part][key] !== undefined) {
        current = emptyTextAlert();
        alerts.push(current);
      }
      current.parts[part][key] = value;
    }
  }
  if (!alerts.some((t) => t.parts.alert.id !== undefined || t.parts.alert.name !== undefined)) return null;
  for (const [i, t] of alerts.entries()) {
    const missing = [t.parts.alert.id === undefined && 'ID', t.parts.alert.name === undefined && 'type'].filter(Boolean);
    if (missing.length) {
      const which = alerts.length > 1 ? ` (alert ${i + 1} of ${alerts.length})` : '';
      return fail(`FireEye: text notification${which} has no alert ${missing.join(' or ')}`);
    }
  }
  return { ok: true, events: alerts.map((t) => fireEyeAlert(doc, jsonShaped(t), input)) };
}

function jsonNotification(text: string, input: VendorInput): VendorOutcome {
  const parsed = parseJson(text);
  if (!parsed.ok) return fail(`FireEye: invalid JSON: ${formatJsonError(parsed.error)}`);
  const docs = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  const events: EventDraft[] = [];
  let sawAlertKey = false;
  for (const doc of docs) {
    if (!isObject(doc)) continue;
    const alerts = alertsOf(doc);
    if (alerts.length || pick(doc, 'alert') !== undefined) sawAlertKey = true;
    for (const a of alerts) if (isObject(a)) events.push(fireEyeAlert(doc, a, input));
  }
  if (!events.length) {
    return fail(sawAlertKey ? 'FireEye: "alert" holds no alert objects' : 'FireEye: notification has no "alert"');
  }
  return { ok: true, events };
}

export function parseFireEyeRecord(input: VendorInput): VendorOutcome {
  const text = input.message.trim();
  if (text.startsWith('{') || text.startsWith('[')) return jsonNotification(text, input);
  // An alert e-mail body: the JSON notification with a line or two around it, or a text one
  // (whose values may hold braces, so it is tried when no JSON notification is found).
  const a = text.indexOf('{');
  const b = text.lastIndexOf('}');
  const embedded = a >= 0 && b > a ? jsonNotification(text.slice(a, b + 1), input) : null;
  if (embedded?.ok) return embedded;
  return textNotification(text, input) ?? embedded ?? fail('FireEye: expected a JSON notification or CEF, found neither');
}
