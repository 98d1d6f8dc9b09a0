// CrowdStrike Falcon streaming API (Event Streams / SIEM connector JSON):
//   {metadata: {customerIDString, offset, eventType, eventCreationTime}, event: {...}}
// DetectionSummaryEvent (legacy detections) and EppDetectionSummaryEvent (the newer alert shape:
// Hostname, AgentId, CompositeId, Name, Description) are alerts; every other eventType
// (AuthActivityAuditEvent, UserActivityAuditEvent, RemoteResponseSessionStartEvent,
// IncidentSummaryEvent...) is an event.
//
// Severity: SeverityName when present (Informational -> info, Low -> low, Medium -> medium,
//   High -> high, Critical -> critical); else Severity 1-5 (1 info, 2 low, 3 medium, 4 high,
//   5 critical); Severity above 5 is the newer 0-100 score (<11 info, <34 low, <60 medium,
//   <86 high, else critical).
// Blocked: PatternDispositionFlags prevention bits (KillProcess, QuarantineFile, ProcessBlocked,
//   OperationBlocked, ...), else PatternDispositionDescription ("Prevention, process killed." ->
//   true; "Detection, standard detection." and "... would have been ..." -> false).
import { Ecs, basename, blockedFromText, joinPath, normalizeIp, normalizeMac, setUser, str } from './ecs';
import { isObject, jsonObjects, pick } from './json-text';
import { severityFromScore, severityFromWord, type SeverityLabel } from './severity';
import { fromEpoch, toDate } from './time';
import { fail, type EventDraft, type VendorInput, type VendorOutcome } from './types';

const LABEL = 'CrowdStrike Falcon';

const FALCON_SEVERITY: Record<number, SeverityLabel> = { 1: 'info', 2: 'low', 3: 'medium', 4: 'high', 5: 'critical' };

function falconSeverity(name: string | undefined, value: unknown): SeverityLabel | null {
  if (name) {
    const w = severityFromWord(name);
    if (w) return w;
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n)) return null;
  if (FALCON_SEVERITY[n]) return FALCON_SEVERITY[n];
  return n > 5 ? severityFromScore(n) : null;
}

const PREVENTION_FLAGS = [
  'KillProcess', 'KillSubProcess', 'KillParent', 'QuarantineFile', 'QuarantineMachine', 'OperationBlocked',
  'ProcessBlocked', 'RegistryOperationBlocked', 'FsOperationBlocked', 'SuspendProcess', 'SuspendParent',
  'HandleOperationDowngraded',
];

function falconBlocked(ev: Record<string, unknown>): boolean | null {
  const flags = pick(ev, 'PatternDispositionFlags');
  if (isObject(flags)) {
    if (flags.KillActionFailed === true) return false;
    if (PREVENTION_FLAGS.some((f) => flags[f] === true)) return true;
  }
  const desc = str(pick(ev, 'PatternDispositionDescription'));
  if (desc) {
    if (/would have been/i.test(desc)) return false;
    if (/^prevention\b/i.test(desc)) return true;
    const guess = blockedFromText(desc);
    if (guess !== null) return guess;
  }
  if (isObject(flags)) return false;
  const value = pick(ev, 'PatternDispositionValue');
  if (value === 0 || value === '0') return false;
  return null;
}

function setMetadata(ecs: Ecs, meta: Record<string, unknown>): void {
  for (const k of ['customerIDString', 'offset', 'eventType', 'eventCreationTime', 'version']) ecs.setIn('crowdstrike.metadata', k, str(meta[k]));
}

function detection(meta: Record<string, unknown>, ev: Record<string, unknown>, input: VendorInput): EventDraft {
  const s = (...names: string[]) => str(pick(ev, ...names));
  const ecs = new Ecs();
  ecs.set('observer.vendor', 'CrowdStrike');
  ecs.set('observer.product', 'Falcon');
  ecs.set('observer.type', 'edr');

  const composite = s('CompositeId');
  const detectId = s('DetectId');
  const name = s('DetectName', 'Name', 'DisplayName');
  const description = s('DetectDescription', 'Description');
  const aid = s('SensorId', 'AgentId', 'AgentIdString');

  ecs.set('host.name', s('ComputerName', 'Hostname'));
  ecs.set('host.id', aid);
  ecs.set('host.domain', s('MachineDomain'));
  const ip = normalizeIp(s('LocalIP', 'LocalIp', 'ExternalIP'));
  if (ip) ecs.push('host.ip', ip);
  const mac = normalizeMac(s('MACAddress', 'MacAddress'));
  if (mac) ecs.push('host.mac', mac);
  ecs.set('host.os.platform', s('Platform', 'PlatformName')?.toLowerCase());
  setUser(ecs, 'user', s('UserName', 'User'));
  ecs.setDefault('user.domain', s('LogonDomain'));

  const fileName = s('FileName');
  const dir = s('FilePath');
  const fullPath = dir && fileName && !dir.toLowerCase().endsWith(fileName.toLowerCase()) ? joinPath(dir, fileName) : (dir ?? fileName);
  ecs.set('process.name', fileName ?? basename(dir));
  ecs.set('process.executable', fullPath);
  ecs.set('process.command_line', s('CommandLine'));
  ecs.set('process.entity_id', s('ProcessId', 'TargetProcessId'));
  ecs.setHash('process.hash', s('SHA256String', 'Sha256'));
  ecs.setHash('process.hash', s('MD5String', 'Md5'));
  ecs.setHash('process.hash', s('SHA1String', 'Sha1'));
  const parent = s('ParentImageFileName');
  ecs.set('process.parent.executable', parent);
  ecs.set('process.parent.name', basename(parent));
  ecs.set('process.parent.command_line', s('ParentCommandLine'));
  ecs.set('file.name', fileName);
  ecs.set('file.path', fullPath);
  ecs.setHash('file.hash', s('SHA256String', 'Sha256'));
  ecs.setHash('file.hash', s('MD5String', 'Md5'));
  ecs.setHash('file.hash', s('SHA1String', 'Sha1'));

  const tactic = s('Tactic');
  const technique = s('Technique');
  if (tactic || technique) ecs.set('threat.framework', 'MITRE ATT&CK');
  ecs.set('threat.tactic.name', tactic ? [tactic] : undefined);
  ecs.set('threat.tactic.id', s('TacticId') ? [s('TacticId')] : undefined);
  ecs.set('threat.technique.name', technique ? [technique] : undefined);
  ecs.set('threat.technique.id', s('TechniqueId') ? [s('TechniqueId')] : undefined);

  ecs.set('rule.name', name);
  ecs.set('rule.description', description);
  ecs.set('rule.id', s('PatternId'));
  ecs.set('rule.category', s('Objective'));
  ecs.set('message', description);
  ecs.set('event.action', s('PatternDispositionDescription'));
  ecs.set('event.url', s('FalconHostLink'));
  ecs.set('event.category', ['malware', 'intrusion_detection', 'process']);
  setMetadata(ecs, meta);
  ecs.set('crowdstrike.event.IOCType', s('IOCType'));
  ecs.set('crowdstrike.event.IOCValue', s('IOCValue'));
  ecs.set('crowdstrike.event.GrandparentImageFileName', s('GrandparentImageFileName', 'GrandParentImageFileName'));

  const severityName = s('SeverityName');
  const occurredAt =
    fromEpoch(pick(meta, 'eventCreationTime')) ?? toDate(pick(ev, 'Timestamp', 'timestamp', 'ProcessStartTime'), input.ctx);
  return {
    kind: 'alert',
    occurredAt,
    vendorEventId: composite ?? detectId ?? null,
    // CompositeId (customer:agent:detection) names one detection; DetectId when older APIs send only it.
    identity: { parts: [composite ?? detectId], unique: !!(composite ?? detectId) },
    groupKey: detectId ?? composite ?? null,
    blocked: falconBlocked(ev),
    vendorSeverity: severityName ?? s('Severity') ?? null,
    severity: falconSeverity(severityName, pick(ev, 'Severity')),
    ruleName: name ?? null,
    ecs,
  };
}

function otherEvent(meta: Record<string, unknown>, ev: Record<string, unknown>, eventType: string, input: VendorInput): EventDraft {
  const s = (...names: string[]) => str(pick(ev, ...names));
  const ecs = new Ecs();
  ecs.set('observer.vendor', 'CrowdStrike');
  ecs.set('observer.product', 'Falcon');
  ecs.set('event.code', eventType);
  const operation = s('OperationName');
  ecs.set('event.action', operation ?? eventType);
  ecs.set('event.provider', s('ServiceName'));
  setUser(ecs, 'user', s('UserId', 'UserName'));
  ecs.setAddress('source', s('UserIp'));
  ecs.set('host.name', s('HostnameField', 'Hostname', 'ComputerName'));
  ecs.set('host.id', s('AgentIdString', 'AgentId', 'SensorId'));
  const success = pick(ev, 'Success');
  if (success === true || success === 'true') ecs.set('event.outcome', 'success');
  if (success === false || success === 'false') ecs.set('event.outcome', 'failure');
  const isAuth = /auth|login|logon|logout|password|twofactor/i.test(`${eventType} ${operation ?? ''}`);
  ecs.set('event.category', [isAuth ? 'authentication' : /incident/i.test(eventType) ? 'intrusion_detection' : 'iam']);
  ecs.set('event.url', s('FalconHostLink'));
  ecs.set('message', s('Description', 'State'));
  setMetadata(ecs, meta);
  const offset = str(pick(meta, 'offset'));
  const occurredAt =
    toDate(pick(ev, 'UTCTimestamp', 'Timestamp', 'IncidentStartTime', 'StartTimestamp'), input.ctx) ?? fromEpoch(pick(meta, 'eventCreationTime'));
  return {
    kind: 'event',
    occurredAt,
    vendorEventId: offset ? [str(pick(meta, 'customerIDString')), eventType, offset].filter(Boolean).join(':') : null,
    groupKey: null,
    blocked: null,
    vendorSeverity: null,
    severity: 'info',
    ruleName: operation ?? eventType,
    ecs,
  };
}

export function parseCrowdStrikeRecord(input: VendorInput): VendorOutcome {
  const parsed = jsonObjects(LABEL, input.message);
  if (!parsed.ok) return parsed;
  const events: EventDraft[] = [];
  for (const doc of parsed.objects) {
    const meta = pick(doc, 'metadata');
    const ev = pick(doc, 'event');
    let eventType = str(pick(meta, 'eventType'));
    let body: Record<string, unknown>;
    if (isObject(ev)) {
      body = ev;
    } else if (pick(doc, 'DetectId', 'CompositeId') !== undefined) {
      body = doc; // a bare detection, forwarded without the stream envelope
      eventType = eventType ?? 'DetectionSummaryEvent';
    } else {
      return fail(`${LABEL}: missing "event" object`);
    }
    if (!eventType) {
      if (pick(body, 'DetectId', 'CompositeId') === undefined) return fail(`${LABEL}: missing metadata.eventType`);
      eventType = 'DetectionSummaryEvent';
    }
    const metaObj = isObject(meta) ? meta : {};
    events.push(/DetectionSummaryEvent$/i.test(eventType) ? detection(metaObj, body, input) : otherEvent(metaObj, body, eventType, input));
  }
  return { ok: true, events };
}
