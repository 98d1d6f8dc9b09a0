// VMware Carbon Black Cloud alerts (Alerts API v7; v6 names read as fallbacks). A search
// response {results: [...]} yields one event per alert.
//
// Severity 1-10 as a 0-10 scale: 1-3 -> low, 4-6 -> medium, 7-8 -> high, 9-10 -> critical.
// Every alert is an alert. Blocked: sensor_action TERMINATE / DENY / BLOCK, or run_state
//   DID_NOT_RUN -> true; ALLOW / ALLOW_AND_LOG -> false; otherwise unknown.
// threat_id groups alerts of one threat; id is the vendor id; device_id is host.id (what
//   quarantine needs).
import { Ecs, basename, normalizeIp, setUser, str } from './ecs';
import { asArray, isObject, jsonObjects, pick } from './json-text';
import { severityFromScale10 } from './severity';
import { toDate } from './time';
import { fail, type EventDraft, type VendorInput, type VendorOutcome } from './types';

const LABEL = 'Carbon Black';

function titleCase(words: string): string {
  return words
    .toLowerCase()
    .split('_')
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

function alertEvent(a: Record<string, unknown>, input: VendorInput): EventDraft {
  const s = (...names: string[]) => str(pick(a, ...names));
  const ecs = new Ecs();
  ecs.set('observer.vendor', 'VMware');
  ecs.set('observer.product', 'Carbon Black Cloud');
  ecs.set('observer.type', 'edr');

  const id = s('id', 'legacy_alert_id');
  const type = s('type');
  const reason = s('reason');
  const reportName = s('report_name') ?? str(pick(asArray(pick(a, 'watchlists')).find(isObject), 'name'));
  const ruleName = type === 'WATCHLIST' ? (reportName ?? reason) : (reason ?? reportName);

  // device_name may carry the domain ("CORP\PC-FIN-002").
  const device = s('device_name');
  const slash = device ? device.lastIndexOf('\\') : -1;
  ecs.set('host.name', slash >= 0 ? device!.slice(slash + 1) : device);
  ecs.set('host.domain', slash > 0 ? device!.slice(0, slash) : undefined);
  ecs.set('host.id', s('device_id'));
  const internal = normalizeIp(s('device_internal_ip'));
  if (internal) ecs.push('host.ip', internal);
  ecs.set('host.os.type', s('device_os')?.toLowerCase());
  ecs.set('host.os.full', s('device_os_version'));
  setUser(ecs, 'user', s('device_username', 'process_username'));

  const processPath = s('process_name', 'threat_cause_actor_name');
  ecs.set('process.executable', processPath && /[\\/]/.test(processPath) ? processPath : undefined);
  ecs.set('process.name', basename(processPath));
  ecs.set('process.pid', typeof a.process_pid === 'number' ? a.process_pid : undefined);
  ecs.set('process.command_line', s('process_cmdline'));
  ecs.set('process.entity_id', s('process_guid'));
  ecs.setHash('process.hash', s('process_sha256', 'threat_cause_actor_sha256'));
  ecs.setHash('process.hash', s('process_md5', 'threat_cause_actor_md5'));
  const parent = s('parent_name');
  ecs.set('process.parent.executable', parent && /[\\/]/.test(parent) ? parent : undefined);
  ecs.set('process.parent.name', basename(parent));
  ecs.set('process.parent.command_line', s('parent_cmdline'));
  ecs.set('process.parent.pid', typeof a.parent_pid === 'number' ? a.parent_pid : undefined);
  ecs.setHash('process.parent.hash', s('parent_sha256'));
  ecs.set('file.name', basename(processPath));
  ecs.set('file.path', processPath && /[\\/]/.test(processPath) ? processPath : undefined);
  ecs.setHash('file.hash', s('process_sha256', 'threat_cause_actor_sha256'));
  ecs.setHash('file.hash', s('process_md5', 'threat_cause_actor_md5'));

  // Network alerts (CB_ANALYTICS netconn, IDS, host-based firewall)
  ecs.setAddress('source', s('netconn_local_ip'));
  ecs.setPort('source.port', s('netconn_local_port'));
  ecs.setAddress('destination', s('netconn_remote_ip'));
  ecs.setPort('destination.port', s('netconn_remote_port'));
  ecs.set('destination.domain', s('netconn_remote_domain'));
  ecs.set('network.transport', s('netconn_protocol')?.replace(/^ip_?proto_?/i, '').toLowerCase());

  // MITRE techniques hide in ttps entries such as MITRE_T1486_DATA_ENCRYPTED_FOR_IMPACT.
  const ttps = asArray(pick(a, 'ttps')).map((t) => str(t)).filter((t): t is string => !!t);
  const techniques = ttps.map((t) => /^MITRE_(T\d{4}(?:[._]\d{3})?)_(.+)$/.exec(t)).filter((m): m is RegExpExecArray => !!m);
  const tactic = s('attack_tactic');
  if (techniques.length || tactic) ecs.set('threat.framework', 'MITRE ATT&CK');
  ecs.set('threat.technique.id', techniques.map((m) => m[1].replace('_', '.')));
  ecs.set('threat.technique.name', techniques.map((m) => titleCase(m[2])));
  ecs.set('threat.tactic.id', tactic ? [tactic] : undefined);
  const malwareName = reason ? /\(([^)]*:[^)]*)\)/.exec(reason)?.[1] : undefined;
  ecs.set('threat.software.name', malwareName);

  ecs.set('rule.name', ruleName);
  ecs.set('rule.id', s('reason_code', 'report_id'));
  ecs.set('rule.category', type);
  ecs.set('message', reason);
  ecs.set('event.action', s('sensor_action'));
  ecs.set('event.url', s('alert_url'));
  ecs.set('event.category', ['malware', 'intrusion_detection']);
  ecs.set('carbon_black.alert.type', type);
  ecs.set('carbon_black.alert.threat_id', s('threat_id'));
  ecs.set('carbon_black.alert.run_state', s('run_state'));
  ecs.set('carbon_black.alert.sensor_action', s('sensor_action'));
  ecs.set('carbon_black.alert.policy_applied', s('policy_applied'));
  ecs.set('carbon_black.alert.workflow_status', str(pick(pick(a, 'workflow'), 'status', 'state')));
  ecs.set('carbon_black.alert.device_external_ip', s('device_external_ip'));
  ecs.set('carbon_black.alert.org_key', s('org_key'));
  ecs.set('carbon_black.alert.ttps', ttps);

  const sensorAction = s('sensor_action')?.toUpperCase();
  let blocked: boolean | null = null;
  if (sensorAction === 'TERMINATE' || sensorAction === 'DENY' || sensorAction === 'BLOCK') blocked = true;
  else if (s('run_state')?.toUpperCase() === 'DID_NOT_RUN') blocked = true;
  else if (sensorAction === 'ALLOW' || sensorAction === 'ALLOW_AND_LOG') blocked = false;

  const severity = pick(a, 'severity');
  const sevNumber = typeof severity === 'number' ? severity : typeof severity === 'string' && /^\d+$/.test(severity) ? Number(severity) : NaN;
  const occurredAt =
    toDate(pick(a, 'detection_timestamp'), input.ctx) ??
    toDate(pick(a, 'first_event_timestamp', 'first_event_time'), input.ctx) ??
    toDate(pick(a, 'backend_timestamp', 'create_time'), input.ctx);
  return {
    kind: 'alert',
    occurredAt,
    vendorEventId: id ?? null,
    identity: { parts: [id], unique: !!id },
    groupKey: s('threat_id') ?? null,
    blocked,
    vendorSeverity: str(severity) ?? null,
    severity: severityFromScale10(sevNumber),
    ruleName: ruleName ?? null,
    ecs,
  };
}

export function parseCarbonBlackRecord(input: VendorInput): VendorOutcome {
  const parsed = jsonObjects(LABEL, input.message);
  if (!parsed.ok) return parsed;
  const events: EventDraft[] = [];
  for (const doc of parsed.objects) {
    const results = pick(doc, 'results');
    const alerts = Array.isArray(results) ? results.filter(isObject) : [doc];
    for (const a of alerts) {
      if (pick(a, 'id', 'legacy_alert_id') === undefined) return fail(`${LABEL}: alert has no "id"`);
      events.push(alertEvent(a, input));
    }
  }
  if (!events.length) return fail(`${LABEL}: no alert in the record`);
  return { ok: true, events };
}
