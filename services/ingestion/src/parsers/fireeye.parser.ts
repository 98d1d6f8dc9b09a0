// FireEye (Trellix) NX, EX, CM and HX "extended" JSON notifications, sent over HTTPS or as the body
// of an alert e-mail. (FireEye CEF over syslog goes through cef.parser.ts.)
//   {msg, product, version, appliance, appliance-id, alert: {...} | [{...}, ...]}
// Field names are matched without regard to case and separators, so the CM-forwarded camelCase
// variant (srcIP, dstIP, alertURL, malwareName, deviceIP) and the hyphenated one (alert-url,
// appliance-id) read alike. HX alerts add hostname, agentID, userID, process, malwarePath,
// malwareMD5; the HX API alert shape (_id, agent._id, event_at, indicator, event_values,
// resolution) is read too.
//
// Severity: minr -> low, majr -> high, crit -> critical (also minor/major/critical words,
//   numbers 0-10 as in CEF). Every notification is an alert.
// Blocked: action "blocked" (NX sent resets / dropped the traffic), HX resolution BLOCK or
//   QUARANTINED -> true; "notified" / "alert" -> false.
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
  ecs.set('observer.name', s(doc, 'appliance') ?? s(a, 'appliance', 'deviceName', 'applianceName'));
  ecs.set('observer.serial_number', s(doc, 'appliance-id') ?? s(a, 'appliance-id', 'deviceId'));
  ecs.set('observer.version', s(doc, 'version') ?? s(a, 'sc-version', 'version'));
  const deviceIp = normalizeIp(s(a, 'deviceIP', 'applianceIP') ?? s(doc, 'deviceIP'));
  if (deviceIp) ecs.set('observer.ip', [deviceIp]);

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
  ecs.set('rule.name', name);
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
    groupKey: null,
    blocked: fireEyeBlocked(action),
    vendorSeverity: severityText ?? null,
    severity: fireEyeSeverity(severityText),
    ruleName: name ?? null,
    ecs,
  };
}

export function parseFireEyeRecord(input: VendorInput): VendorOutcome {
  let text = input.message.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) {
    // An alert e-mail body may carry a line or two around the JSON.
    const a = text.indexOf('{');
    const b = text.lastIndexOf('}');
    if (a < 0 || b < a) return fail('FireEye: expected a JSON notification or CEF, found neither');
    text = text.slice(a, b + 1);
  }
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
