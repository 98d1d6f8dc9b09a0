// Cybereason Malop in the inbox model (MalopInboxModel, as the /rest/detection/inbox API and the
// Malop notification forwarding return it). An object {malops: [...]} yields one event per Malop.
//
// Severity: `severity` High -> high, Medium -> medium, Low -> low (Critical -> critical);
//   without it, `priority` HIGH / MEDIUM / LOW the same way. Every Malop is an alert.
// Blocked: decisionStatuses containing Prevented / Blocked -> true; only Detected /
//   Remediated / Suspicious -> false (remediation came after the fact); none -> unknown.
// The Malop guid is both the vendor id and the group key; the machine guid (pylumId), needed to
// isolate the machine, is kept as host.id and in cybereason.malop.machines.
import { Ecs, basename, setUser, str } from './ecs';
import { asArray, isObject, jsonObjects, pick } from './json-text';
import { severityFromWord } from './severity';
import { toDate } from './time';
import { fail, type EventDraft, type VendorInput, type VendorOutcome } from './types';

const LABEL = 'Cybereason';

function malopEvent(m: Record<string, unknown>, input: VendorInput): EventDraft {
  const s = (obj: unknown, ...names: string[]) => str(pick(obj, ...names));
  const ecs = new Ecs();
  ecs.set('observer.vendor', 'Cybereason');
  ecs.set('observer.product', pick(m, 'edr') === false ? 'Cybereason NGAV' : 'Cybereason EDR');
  ecs.set('observer.type', 'edr');

  const guid = s(m, 'guid', 'malopGuid');
  const detectionTypes = asArray(pick(m, 'detectionTypes')).map((v) => str(v)).filter((v): v is string => !!v);
  const detectionType = s(m, 'malopDetectionType');
  const displayName = s(m, 'displayName');
  const rootCause = s(m, 'rootCauseElementType');
  const ruleName = detectionTypes[0] ?? detectionType ?? displayName;

  const machines = asArray(pick(m, 'machines')).filter(isObject);
  const first = machines[0];
  ecs.set('host.name', s(first, 'displayName', 'name'));
  ecs.set('host.id', s(first, 'guid'));
  ecs.set('host.os.type', s(first, 'osType')?.toLowerCase());
  ecs.set('host.hostname', s(first, 'adDNSHostName'));
  ecs.push('related.hosts', ...machines.map((x) => s(x, 'displayName', 'name')));
  ecs.set(
    'cybereason.malop.machines',
    machines.map((x) => ({
      guid: s(x, 'guid'),
      displayName: s(x, 'displayName', 'name'),
      osType: s(x, 'osType'),
      connected: typeof x.connected === 'boolean' ? x.connected : undefined,
      isolated: typeof x.isolated === 'boolean' ? x.isolated : undefined,
    })),
  );

  const users = asArray(pick(m, 'users')).filter(isObject);
  setUser(ecs, 'user', s(users[0], 'displayName', 'name'));
  ecs.push('related.user', ...users.map((u) => s(u, 'displayName', 'name')));

  if (rootCause === 'File') {
    ecs.set('file.name', displayName);
  } else if (rootCause === 'Process') {
    ecs.set('process.name', basename(displayName));
  }
  ecs.set('rule.name', ruleName);
  ecs.set('rule.id', detectionType);
  ecs.set('rule.description', detectionTypes.length > 1 ? detectionTypes.join(', ') : undefined);
  ecs.set('message', displayName ? `${ruleName ?? 'Malop'}: ${displayName}` : ruleName);
  ecs.set('event.action', s(m, 'status'));
  ecs.set('event.category', ['malware', 'intrusion_detection']);
  ecs.set('cybereason.malop.guid', guid);
  ecs.set('cybereason.malop.status', s(m, 'status'));
  ecs.set('cybereason.malop.root_cause_element_type', rootCause);
  ecs.set('cybereason.malop.decision_statuses', asArray(pick(m, 'decisionStatuses')).map((v) => str(v)));
  ecs.set('cybereason.malop.detection_engines', asArray(pick(m, 'detectionEngines')).map((v) => str(v)));
  ecs.set('cybereason.malop.priority', s(m, 'priority'));
  ecs.set('cybereason.malop.edr', typeof m.edr === 'boolean' ? m.edr : undefined);

  const decisions = asArray(pick(m, 'decisionStatuses')).map((v) => String(v).toLowerCase());
  let blocked: boolean | null = null;
  if (decisions.some((d) => d === 'prevented' || d === 'blocked')) blocked = true;
  else if (decisions.length) blocked = false;

  const severityText = s(m, 'severity') ?? s(m, 'priority');
  const occurredAt = toDate(pick(m, 'creationTime', 'malopCreationTime'), input.ctx) ?? toDate(pick(m, 'lastUpdateTime'), input.ctx);
  return {
    kind: 'alert',
    occurredAt,
    vendorEventId: guid ?? null,
    // A Malop grows (machines, suspicions): each update is its own alert, grouped by the guid.
    identity: { parts: [guid, str(pick(m, 'lastUpdateTime', 'malopLastUpdateTime'))], unique: !!guid },
    groupKey: guid ?? null,
    blocked,
    vendorSeverity: severityText ?? null,
    severity: severityText ? severityFromWord(severityText) : null,
    ruleName: ruleName ?? null,
    ecs,
  };
}

export function parseCybereasonRecord(input: VendorInput): VendorOutcome {
  const parsed = jsonObjects(LABEL, input.message);
  if (!parsed.ok) return parsed;
  const events: EventDraft[] = [];
  for (const doc of parsed.objects) {
    const list = pick(doc, 'malops', 'data');
    const malops = Array.isArray(list) ? list.filter(isObject) : isObject(list) && Array.isArray(pick(list, 'malops')) ? (pick(list, 'malops') as unknown[]).filter(isObject) : [doc];
    for (const m of malops) {
      if (pick(m, 'guid', 'malopGuid') === undefined) return fail(`${LABEL}: Malop has no "guid"`);
      events.push(malopEvent(m, input));
    }
  }
  if (!events.length) return fail(`${LABEL}: no Malop in the record`);
  return { ok: true, events };
}
