// Any JSON source without a dedicated parser. Reads the common field names (flat or ECS-nested):
//   time      @timestamp, timestamp, time, eventTime, event_time, date (ISO text or epoch)
//   message   message, msg, description
//   severity  severity, level, event.severity, alert.severity (Suricata EVE)
//   kind      "alert" when kind / event.kind / type / event_type says alert, or alert: true /
//             an alert object is present; otherwise "event".
// Severity: words as in severity.ts (info/low/medium/high/critical, syslog level names, minor/
//   major); numbers 0-10 as in CEF, 11-100 as a score (<34 low, <60 medium, <86 high, else
//   critical); Suricata's alert.severity 1 -> high, 2 -> medium, 3 -> low.
import { Ecs, blockedFromText, setUser, str, transport } from './ecs';
import { isObject, jsonObjects, pick } from './json-text';
import { severityFromScale10, severityFromScore, severityFromWord, type SeverityLabel } from './severity';
import { toDate } from './time';
import type { EventDraft, VendorInput, VendorOutcome } from './types';

const LABEL = 'JSON';

/** Value at a dotted path in nested objects, or under the dotted key itself. */
function at(obj: Record<string, unknown>, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(obj, path)) return obj[path];
  let node: unknown = obj;
  for (const key of path.split('.')) {
    if (!isObject(node) || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

function first(obj: Record<string, unknown>, ...paths: string[]): unknown {
  for (const p of paths) {
    const v = at(obj, p);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

function severityOf(value: unknown): SeverityLabel | null {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()))) {
    const n = Number(value);
    return n <= 10 ? severityFromScale10(n) : severityFromScore(n);
  }
  return typeof value === 'string' ? severityFromWord(value) : null;
}

const SURICATA_SEVERITY: Record<number, SeverityLabel> = { 1: 'high', 2: 'medium', 3: 'low' };

function genericEvent(doc: Record<string, unknown>, input: VendorInput): EventDraft {
  const s = (...paths: string[]) => str(first(doc, ...paths));
  const ecs = new Ecs();
  const alertObj = at(doc, 'alert');
  const kindText = s('event.kind', 'kind', 'type', 'event_type', 'eventType')?.toLowerCase();
  const isAlert = kindText === 'alert' || alertObj === true || isObject(alertObj);
  const kind: 'alert' | 'event' = isAlert ? 'alert' : 'event';

  let severity: SeverityLabel | null;
  let vendorSeverity: string | undefined;
  const suricata = isObject(alertObj) ? pick(alertObj, 'severity') : undefined;
  if (typeof suricata === 'number' && SURICATA_SEVERITY[suricata] && first(doc, 'severity', 'level') === undefined) {
    severity = SURICATA_SEVERITY[suricata];
    vendorSeverity = String(suricata);
  } else {
    const raw = first(doc, 'severity', 'level', 'event.severity', 'log.level', 'priority');
    vendorSeverity = str(raw);
    severity = severityOf(raw);
  }

  const ruleName = s('rule.name', 'rule', 'alert.signature', 'signature', 'alert_name', 'alertName', 'title');
  ecs.set('message', s('message', 'msg', 'description'));
  ecs.set('rule.name', ruleName);
  ecs.set('rule.id', s('rule.id', 'alert.signature_id', 'signature_id'));
  ecs.set('rule.category', s('rule.category', 'alert.category', 'category'));
  ecs.set('host.name', s('host.name', 'hostname', 'host', 'computer', 'device'));
  ecs.setAddress('source', s('source.ip', 'src_ip', 'srcip', 'src', 'client_ip'));
  ecs.setPort('source.port', s('source.port', 'src_port', 'srcport', 'sport'));
  ecs.setAddress('destination', s('destination.ip', 'dest_ip', 'dst_ip', 'dstip', 'dst'));
  ecs.setPort('destination.port', s('destination.port', 'dest_port', 'dst_port', 'dstport', 'dport'));
  setUser(ecs, 'user', s('user.name', 'user', 'username', 'userName'));
  ecs.set('network.transport', transport(s('network.transport', 'proto', 'protocol')));
  ecs.set('event.action', s('event.action', 'action', 'alert.action'));
  ecs.set('observer.vendor', s('observer.vendor', 'vendor'));
  ecs.set('observer.product', s('observer.product', 'product'));
  ecs.set('observer.name', s('observer.name'));
  ecs.set('file.name', s('file.name', 'filename', 'file_name'));
  ecs.set('file.path', s('file.path', 'filepath', 'file_path'));
  ecs.setHash('file.hash', s('file.hash.sha256', 'sha256'));
  ecs.setHash('file.hash', s('file.hash.md5', 'md5'));
  ecs.set('url.full', s('url.full', 'url'));
  ecs.set('event.category', isAlert ? ['intrusion_detection'] : undefined);

  const action = s('event.action', 'action', 'alert.action');
  return {
    kind,
    occurredAt: toDate(first(doc, '@timestamp', 'timestamp', 'time', 'eventTime', 'event_time', 'date'), input.ctx),
    vendorEventId: s('event.id', 'id', '_id', 'uuid', 'event_id', 'eventId') ?? null,
    groupKey: null,
    blocked: action ? blockedFromText(action) : null,
    vendorSeverity: vendorSeverity ?? null,
    severity,
    ruleName: ruleName ?? null,
    ecs,
  };
}

export function parseGenericJsonRecord(input: VendorInput): VendorOutcome {
  const parsed = jsonObjects(LABEL, input.message);
  if (!parsed.ok) return parsed;
  return { ok: true, events: parsed.objects.map((doc) => genericEvent(doc, input)) };
}
