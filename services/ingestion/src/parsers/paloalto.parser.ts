// Palo Alto Networks PAN-OS syslog, CSV by position (Device > Server Profiles > Syslog, default
// "BSD"/"IETF" formats). Columns only ever get appended across PAN-OS releases, so each log type has
// one ordered field list and a table of version families, chosen by the column count (the
// family with the largest minimum that the line reaches). Extra trailing columns are tolerated.
//
// Severity (THREAT and SYSTEM `severity` column):
//   informational -> info, low -> low, medium -> medium, high -> high, critical -> critical.
//   TRAFFIC, CONFIG and other logs are info.
// Kind: THREAT is an alert, except URL-filtering and file-blocking entries that were not blocked
//   and carry no malicious category, and WildFire verdicts of "benign"; every other type is an event.
// Blocked: reset-client/server/both, drop, drop-all-packets, drop-icmp, deny, block-*, sinkhole,
//   random-drop -> true; alert, allow, continue, override -> false.
import { Ecs, affectedEndpoint, normalizeIp, setHost, setUser, str, transport } from './ecs';
import type { SeverityLabel } from './severity';
import { parseTimestamp } from './time';
import { fail, single, type VendorInput, type VendorOutcome } from './types';

/** Splits one CSV line: quoted fields may hold commas, "" is a quote inside a quoted field. */
export function splitCsv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      // slices between quotes, not one character at a time: a long quoted field costs one copy
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) {
          value += line.slice(i);
          i = line.length;
          break;
        }
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      // Anything between the closing quote and the next comma belongs to the field too.
      const comma = line.indexOf(',', i);
      value += comma < 0 ? line.slice(i) : line.slice(i, comma);
      out.push(value);
      if (comma < 0) return out;
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

// Shared by THREAT and TRAFFIC: columns 0-29.
const COMMON = [
  'future_use1', 'receive_time', 'serial', 'type', 'subtype', 'future_use2', 'time_generated', 'src', 'dst',
  'natsrc', 'natdst', 'rule', 'srcuser', 'dstuser', 'app', 'vsys', 'from', 'to', 'inbound_if', 'outbound_if',
  'logset', 'future_use3', 'sessionid', 'repeatcnt', 'sport', 'dport', 'natsport', 'natdport', 'flags', 'proto',
];

// THREAT (also URL, WildFire, data filtering): PAN-OS "Threat Log Fields".
const THREAT_FIELDS = [
  ...COMMON,
  'action', 'misc', 'threatid', 'category', 'severity', 'direction', 'seqno', 'actionflags', 'srcloc', 'dstloc',
  'future_use4', 'contenttype', 'pcap_id', 'filedigest', 'cloud', 'url_idx', 'user_agent', 'filetype', 'xff',
  'referer', 'sender', 'subject', 'recipient', 'reportid', 'dg_hier_level_1', 'dg_hier_level_2', 'dg_hier_level_3',
  'dg_hier_level_4', 'vsys_name', 'device_name', 'future_use5', 'src_uuid', 'dst_uuid', 'http_method', 'tunnel_id',
  'monitortag', 'parent_session_id', 'parent_start_time', 'tunnel', 'thr_category', 'contentver', 'future_use6',
  'assoc_id', 'ppid', 'http_headers',
  // 8.1 / 9.x
  'url_category_list', 'rule_uuid', 'http2_connection', 'dynusergroup_name',
  // 10.0
  'xff_ip', 'src_category', 'src_profile', 'src_model', 'src_vendor', 'src_osfamily', 'src_osversion', 'src_host',
  'src_mac', 'dst_category', 'dst_profile', 'dst_model', 'dst_vendor', 'dst_osfamily', 'dst_osversion', 'dst_host',
  'dst_mac', 'container_id', 'pod_namespace', 'pod_name', 'src_edl', 'dst_edl', 'hostid', 'serialnumber',
  'domain_edl', 'src_dag', 'dst_dag', 'partial_hash', 'high_res_timestamp', 'reason', 'justification', 'nssai_sst',
  // 10.1 / 10.2 / 11.x
  'subcategory_of_app', 'category_of_app', 'technology_of_app', 'risk_of_app', 'characteristic_of_app',
  'container_of_app', 'tunneled_app', 'is_saas_of_app', 'sanctioned_state_of_app',
];

// TRAFFIC: PAN-OS "Traffic Log Fields".
const TRAFFIC_FIELDS = [
  ...COMMON,
  'action', 'bytes', 'bytes_sent', 'bytes_received', 'packets', 'start', 'elapsed', 'category', 'future_use4',
  'seqno', 'actionflags', 'srcloc', 'dstloc', 'future_use5', 'pkts_sent', 'pkts_received', 'session_end_reason',
  'dg_hier_level_1', 'dg_hier_level_2', 'dg_hier_level_3', 'dg_hier_level_4', 'vsys_name', 'device_name',
  'action_source', 'src_uuid', 'dst_uuid', 'tunnelid', 'monitortag', 'parent_session_id', 'parent_start_time',
  'tunnel', 'assoc_id', 'chunks', 'chunks_sent', 'chunks_received',
  // 8.1 / 9.x
  'rule_uuid', 'http2_connection', 'link_change_count', 'policy_id', 'link_switches', 'sdwan_cluster',
  'sdwan_device_type', 'sdwan_cluster_type', 'sdwan_site', 'dynusergroup_name',
  // 10.0
  'xff_ip', 'src_category', 'src_profile', 'src_model', 'src_vendor', 'src_osfamily', 'src_osversion', 'src_host',
  'src_mac', 'dst_category', 'dst_profile', 'dst_model', 'dst_vendor', 'dst_osfamily', 'dst_osversion', 'dst_host',
  'dst_mac', 'container_id', 'pod_namespace', 'pod_name', 'src_edl', 'dst_edl', 'hostid', 'serialnumber',
  'src_dag', 'dst_dag', 'session_owner', 'high_res_timestamp', 'nssai_sst', 'nssai_sd',
  // 10.1 / 10.2 / 11.x
  'subcategory_of_app', 'category_of_app', 'technology_of_app', 'risk_of_app', 'characteristic_of_app',
  'container_of_app', 'tunneled_app', 'is_saas_of_app', 'sanctioned_state_of_app', 'offloaded',
];

// SYSTEM and CONFIG: enough to keep them as events.
const SYSTEM_FIELDS = [
  'future_use1', 'receive_time', 'serial', 'type', 'subtype', 'future_use2', 'time_generated', 'vsys', 'eventid',
  'object', 'future_use3', 'future_use4', 'module', 'severity', 'opaque', 'seqno', 'actionflags',
  'dg_hier_level_1', 'dg_hier_level_2', 'dg_hier_level_3', 'dg_hier_level_4', 'vsys_name', 'device_name',
  'future_use5', 'future_use6', 'high_res_timestamp',
];
const CONFIG_FIELDS = [
  'future_use1', 'receive_time', 'serial', 'type', 'subtype', 'future_use2', 'time_generated', 'host', 'vsys', 'cmd',
  'admin', 'client', 'result', 'path', 'before_change_detail', 'after_change_detail', 'seqno', 'actionflags',
  'dg_hier_level_1', 'dg_hier_level_2', 'dg_hier_level_3', 'dg_hier_level_4', 'vsys_name', 'device_name',
];

interface Family {
  name: string;
  minColumns: number;
  fields: string[];
  /** Positions of the fields worth keeping (not future_use). */
  kept: number[];
}

function families(fields: string[], bounds: Array<[name: string, firstNewField: string, lastField: string]>): Family[] {
  // A family is recognised once the line reaches the first column that family introduced, and
  // maps every column up to the last one it defines (older lines of the family may stop earlier).
  return bounds.map(([name, firstNew, last]) => {
    const mapped = fields.slice(0, fields.indexOf(last) + 1);
    return {
      name,
      minColumns: fields.indexOf(firstNew) + 1,
      fields: mapped,
      kept: mapped.flatMap((field, i) => (field.startsWith('future_use') ? [] : [i])),
    };
  });
}

const TABLES: Record<string, Family[]> = {
  THREAT: families(THREAT_FIELDS, [
    ['PAN-OS 6.x-8.0', 'threatid', 'http_headers'],
    ['PAN-OS 8.1-9.1', 'url_category_list', 'dynusergroup_name'],
    ['PAN-OS 10.0', 'high_res_timestamp', 'nssai_sst'],
    ['PAN-OS 10.1-11.x', 'subcategory_of_app', 'sanctioned_state_of_app'],
  ]),
  TRAFFIC: families(TRAFFIC_FIELDS, [
    ['PAN-OS 6.x-8.0', 'action', 'chunks_received'],
    ['PAN-OS 8.1-9.1', 'rule_uuid', 'dynusergroup_name'],
    ['PAN-OS 10.0', 'high_res_timestamp', 'nssai_sd'],
    ['PAN-OS 10.1-11.x', 'subcategory_of_app', 'offloaded'],
  ]),
  SYSTEM: families(SYSTEM_FIELDS, [
    ['PAN-OS 6.x-9.x', 'opaque', 'device_name'],
    ['PAN-OS 10.x-11.x', 'high_res_timestamp', 'high_res_timestamp'],
  ]),
  CONFIG: families(CONFIG_FIELDS, [['PAN-OS 6.x-11.x', 'result', 'device_name']]),
};

const KNOWN_TYPES = ['THREAT', 'TRAFFIC', 'SYSTEM', 'CONFIG', 'HIPMATCH', 'HIP-MATCH', 'GLOBALPROTECT', 'USERID', 'AUTH', 'DECRYPTION', 'TUNNEL', 'SCTP', 'IPTAG', 'CORRELATION', 'GTP'];

const SEVERITY: Record<string, SeverityLabel> = { informational: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

function panBlocked(action: string | undefined): boolean | null {
  const a = action?.toLowerCase();
  if (!a) return null;
  if (/^(reset-(client|server|both)|drop|drop-all-packets|drop-icmp|deny|block-.*|sinkhole|random-drop)$/.test(a)) return true;
  if (/^(alert|allow|continue|override|override-lockout)$/.test(a)) return false;
  return null;
}

const MALICIOUS_CATEGORIES = /^(malware|phishing|command-and-control|grayware|ransomware)$/i;

export function parsePaloAltoRecord(input: VendorInput): VendorOutcome {
  const { ctx } = input;
  const cols = splitCsv(input.message.trim());
  const type = cols[3]?.trim().toUpperCase();
  if (!type || !KNOWN_TYPES.includes(type)) {
    return fail(`Palo Alto: column 4 is "${(cols[3] ?? '').slice(0, 30)}", expected a log type (THREAT, TRAFFIC, SYSTEM, CONFIG...)`);
  }
  const table = TABLES[type] ?? families(COMMON.slice(0, 7), [['PAN-OS', 'time_generated', 'time_generated']]);
  let family: (typeof table)[number] | undefined;
  for (let i = table.length - 1; i >= 0 && !family; i--) if (cols.length >= table[i].minColumns) family = table[i];
  if (!family) {
    return fail(`Palo Alto: ${type} line has ${cols.length} columns, expected at least ${table[0].minColumns}`);
  }
  // Field names are this file's own (no "__proto__" or the like): plain assignment is safe.
  const f: Record<string, string> = {};
  for (const i of family.kept) {
    const v = cols[i]?.trim();
    if (v) f[family.fields[i]] = v;
  }
  const get = (k: string): string | undefined => (Object.prototype.hasOwnProperty.call(f, k) ? f[k] : undefined);

  const ecs = new Ecs();
  ecs.set('observer.vendor', 'Palo Alto Networks');
  ecs.set('observer.product', 'PAN-OS');
  ecs.set('observer.type', 'firewall');
  ecs.set('observer.serial_number', get('serial'));
  ecs.set('observer.name', get('device_name'));
  ecs.set('event.code', get('subtype') ? `${type}/${get('subtype')}` : type);
  // the vendor's fields in one go, as built (trimmed, non-empty), then the two of our own;
  // `get` reads f afterwards but never 'type' or 'format', which the next two lines write
  ecs.adopt('panw.panos', f);
  ecs.set('panw.panos.type', type);
  ecs.set('panw.panos.format', family.name);

  // Generated time is the event time; 10.x adds a high-resolution stamp with its offset.
  const occurredAt =
    parseTimestamp(get('high_res_timestamp'), ctx) ??
    parseTimestamp(get('time_generated'), ctx) ??
    parseTimestamp(get('receive_time'), ctx);

  const seqno = get('seqno');
  const serial = get('serial');
  const vendorEventId = seqno ? (serial ? `${serial}:${seqno}` : seqno) : null;
  // seqno numbers the logs of one firewall (its serial), per log type.
  const identity = { parts: [serial, type, seqno], unique: !!seqno };

  if (type !== 'THREAT' && type !== 'TRAFFIC') {
    const severity = type === 'SYSTEM' ? (SEVERITY[get('severity')?.toLowerCase() ?? ''] ?? null) : 'info';
    ecs.set('message', get('opaque') ?? get('cmd'));
    ecs.set('event.action', get('eventid') ?? get('cmd'));
    setUser(ecs, 'user', get('admin'));
    ecs.setAddress('source', get('client') ?? get('host'));
    const result = get('result')?.toLowerCase();
    if (result === 'succeeded' || result === 'success') ecs.set('event.outcome', 'success');
    if (result === 'failed' || result === 'failure') ecs.set('event.outcome', 'failure');
    ecs.set('event.category', [type === 'CONFIG' ? 'configuration' : 'host']);
    return single({
      kind: 'event',
      occurredAt,
      vendorEventId,
      identity,
      groupKey: null,
      blocked: null,
      vendorSeverity: get('severity') ?? null,
      severity,
      ruleName: get('eventid') ?? get('cmd') ?? null,
      ecs,
    });
  }

  const subtype = get('subtype')?.toLowerCase();
  const action = get('action');
  const blocked = panBlocked(action);
  ecs.set('event.action', action);
  ecs.setAddress('source', get('src'));
  ecs.setAddress('destination', get('dst'));
  if (get('natsrc') !== '0.0.0.0' && get('natsrc') !== '::') ecs.setAddress('source.nat', get('natsrc'));
  if (get('natdst') !== '0.0.0.0' && get('natdst') !== '::') ecs.setAddress('destination.nat', get('natdst'));
  ecs.setPort('source.port', get('sport'));
  ecs.setPort('destination.port', get('dport'));
  if (get('natsport') !== '0') ecs.setPort('source.nat.port', get('natsport'));
  if (get('natdport') !== '0') ecs.setPort('destination.nat.port', get('natdport'));
  ecs.setMac('source.mac', get('src_mac'));
  ecs.setMac('destination.mac', get('dst_mac'));
  ecs.set('source.domain', get('src_host'));
  ecs.set('destination.domain', get('dst_host'));
  const loc = (v: string | undefined) => (v && !/^\d+\.\d+\.\d+\.\d+-/.test(v) ? v : undefined);
  ecs.set('source.geo.country_name', loc(get('srcloc')));
  ecs.set('destination.geo.country_name', loc(get('dstloc')));
  setUser(ecs, 'source.user', get('srcuser'));
  setUser(ecs, 'destination.user', get('dstuser'));
  setUser(ecs, 'user', get('srcuser') ?? get('dstuser'));
  ecs.set('network.transport', transport(get('proto')));
  ecs.set('network.application', get('app'));
  ecs.set('observer.ingress.zone', get('from'));
  ecs.set('observer.egress.zone', get('to'));
  ecs.set('observer.ingress.interface.name', get('inbound_if'));
  ecs.set('observer.egress.interface.name', get('outbound_if'));
  ecs.set('rule.uuid', get('rule_uuid'));

  if (type === 'TRAFFIC') {
    ecs.set('rule.name', get('rule'));
    ecs.set('network.bytes', Number(get('bytes')) || undefined);
    ecs.set('source.bytes', Number(get('bytes_sent')) || undefined);
    ecs.set('destination.bytes', Number(get('bytes_received')) || undefined);
    ecs.set('network.packets', Number(get('packets')) || undefined);
    ecs.set('source.packets', Number(get('pkts_sent')) || undefined);
    ecs.set('destination.packets', Number(get('pkts_received')) || undefined);
    const elapsed = Number(get('elapsed'));
    if (Number.isFinite(elapsed) && get('elapsed') !== undefined) ecs.set('event.duration', elapsed * 1e9);
    ecs.set('event.category', ['network']);
    ecs.set('event.type', ['connection', blocked ? 'denied' : subtype === 'end' ? 'end' : subtype === 'start' ? 'start' : 'allowed']);
    return single({
      kind: 'event',
      occurredAt,
      vendorEventId,
      identity,
      groupKey: null,
      blocked,
      vendorSeverity: null,
      severity: 'info',
      ruleName: get('rule') ?? null,
      ecs,
    });
  }

  // THREAT
  const threat = get('threatid');
  const m = threat ? /^(.*?)\s*\((\d+)\)\s*$/.exec(threat) : null;
  const threatName = m ? str(m[1]) : threat;
  const threatId = m ? m[2] : undefined;
  const category = get('category');
  const misc = get('misc');
  // WildFire entries name the file type as the threat; the verdict sits in the category column.
  const ruleName =
    subtype === 'url'
      ? (category ?? threatName)
      : subtype === 'wildfire' && category
        ? `WildFire ${category}: ${threatName ?? misc ?? 'file'}`
        : (threatName ?? category);
  ecs.set('rule.name', ruleName);
  ecs.set('rule.id', threatId);
  ecs.set('rule.ruleset', get('rule'));
  ecs.set('rule.category', get('thr_category') ?? category);
  if (subtype === 'url') {
    ecs.set('url.original', misc);
    if (misc) ecs.set('url.domain', misc.replace(/^[a-z]+:\/\//i, '').split(/[/:?]/)[0]);
    if (misc && /^[a-z][a-z0-9+.-]*:\/\//i.test(misc)) ecs.set('url.full', misc);
  } else if (misc && ['virus', 'wildfire', 'wildfire-virus', 'file', 'data'].includes(subtype ?? '')) {
    ecs.set('file.name', misc);
  } else if (misc && /[/:]/.test(misc)) {
    ecs.set('url.original', misc); // spyware/vulnerability entries log the URL they matched on
  } else if (misc) {
    ecs.set('file.name', misc);
  }
  ecs.setHash('file.hash', get('filedigest'));
  ecs.set('user_agent.original', get('user_agent'));
  ecs.set('http.request.method', get('http_method')?.toUpperCase());
  ecs.set('http.request.referrer', get('referer'));
  ecs.set('email.from.address', get('sender') ? [get('sender')] : undefined);
  ecs.set('email.to.address', get('recipient') ? [get('recipient')] : undefined);
  ecs.set('email.subject', get('subject'));
  if (subtype === 'virus' || subtype === 'wildfire-virus' || subtype === 'spyware') ecs.set('threat.software.name', threatName);

  const direction = get('direction');
  const prefer = subtype === 'spyware' || direction === 'server-to-client' ? 'source' : 'destination';
  const src = { ip: normalizeIp(get('src')), name: get('src_host') };
  const dst = { ip: normalizeIp(get('dst')), name: get('dst_host') };
  setHost(ecs, affectedEndpoint(src, dst, prefer));

  const categories = ['network'];
  if (['virus', 'wildfire', 'wildfire-virus', 'spyware'].includes(subtype ?? '')) categories.unshift('malware');
  if (['vulnerability', 'spyware', 'scan', 'flood'].includes(subtype ?? '')) categories.unshift('intrusion_detection');
  if (subtype === 'url') categories.unshift('web');
  if (subtype === 'file' || subtype === 'data') categories.unshift('file');
  ecs.set('event.category', categories);

  const malicious = !!category && MALICIOUS_CATEGORIES.test(category);
  let kind: 'alert' | 'event' = 'alert';
  if ((subtype === 'url' || subtype === 'file') && !blocked && !malicious) kind = 'event';
  if (subtype === 'wildfire' && category === 'benign') kind = 'event';

  const sev = get('severity');
  return single({
    kind,
    occurredAt,
    vendorEventId,
    identity,
    groupKey: null,
    blocked,
    vendorSeverity: sev ?? null,
    severity: sev ? (SEVERITY[sev.toLowerCase()] ?? null) : null,
    ruleName: ruleName ?? null,
    ecs,
  });
}
