// Alert identity, per product: two records that differ in any field identifying a detection
// never share an alert key (they would merge into one alert with a repeat count), and a replay of
// the identical record, even re-stamped by a relay and received later, keeps its key.
import fc from 'fast-check';
import { parseRecord } from './parse';
import { context, lines, own } from './spec-helpers';
import type { SensorProduct } from './types';

type Values = Record<string, string>;

interface Case {
  product: SensorProduct;
  // what varies: each field's values (several per field, so pairs often differ in one field only)
  fields: Record<string, fc.Arbitrary<string>>;
  record(v: Values): string;
}

const n = (min: number, max: number) => fc.integer({ min, max }).map(String);
const token = fc.constantFrom('a1', 'b2', 'c3', 'd4');
const ip = fc.integer({ min: 1, max: 4 }).map((i) => `10.0.0.${i}`);
const json = (name: string) => JSON.parse(own(name)) as Record<string, unknown>;
const replace = (text: string, pairs: Array<[string, string]>) => pairs.reduce((t, [from, to]) => t.split(from).join(to), text);

const FIREEYE_DOC = json('fireeye-nx-extended.json');
const CROWDSTRIKE = json('crowdstrike-detection-summary.json');
const CYBEREASON = json('cybereason-malop.json');
const CARBON_BLACK = json('carbonblack-alert-v7.json');
// the fixtures' lines without their RFC 3164 header (the replay test puts another in front)
const bare = (line: string) => line.replace(/^<\d+>\w{3} +\d+ [\d:]+ \S+ /, '');
const PALO = bare(lines(own('paloalto-threat.log'))[0]);
const SEP = bare(lines(own('symantec-sep.log'))[0]);
const TREND = bare(lines(own('trendmicro-cef.log'))[0]);
const IMPERVA = bare(lines(own('imperva-securesphere-cef.log'))[0]);

const CASES: Case[] = [
  {
    product: 'FORTIGATE',
    fields: { devid: fc.constantFrom('FG100A', 'FG100B'), logid: fc.constantFrom('0419016384', '0419016385'), time: n(10, 12), eventtime: n(1, 3), serial: n(1, 3), session: n(1, 3), attack: token, src: ip, dst: ip, sport: n(1000, 1002), dport: n(80, 81), action: fc.constantFrom('dropped', 'detected', 'reset') },
    record: (v) =>
      `date=2026-11-21 time=09:47:${v.time} devid="${v.devid}" logid="${v.logid}" type="utm" subtype="ips" level="alert" vd="root" eventtime=17952220320000000${v.eventtime} severity="high" srcip=${v.src} dstip=${v.dst} srcport=${v.sport} dstport=${v.dport} sessionid=${v.session} action="${v.action}" attack="Attack.${v.attack}" incidentserialno=31884017${v.serial}`,
  },
  {
    product: 'FORTIGATE',
    // FortiOS 5.x: no eventtime, sessionid nor incidentserialno; the record decides
    fields: { attack: token, src: ip, dst: ip, action: fc.constantFrom('dropped', 'detected') },
    record: (v) => `date=2026-11-21 time=09:47:12 devid="FG100A" logid="0419016384" type="utm" subtype="ips" level="alert" srcip=${v.src} dstip=${v.dst} action="${v.action}" attack="Attack.${v.attack}"`,
  },
  {
    product: 'FORTIWEB',
    fields: { device: fc.constantFrom('FV-1', 'FV-2'), msg: n(1, 6) },
    record: (v) => `date=2026-11-20 time=11:30:01 log_id=20000008 msg_id=00001234567${v.msg} device_id=${v.device} type=attack pri=alert main_type="Signature Detection" sub_type="SQL Injection" src=203.0.113.9 dst=10.20.50.10 action=Alert_Deny`,
  },
  {
    product: 'FORTIWEB',
    fields: { time: n(10, 12), sub: fc.constantFrom('SQL Injection', 'Cross Site Scripting'), src: ip, action: fc.constantFrom('Alert', 'Alert_Deny') },
    record: (v) => `date=2026-11-20 time=11:30:${v.time} log_id=20000008 device_id=FV-1 type=attack pri=alert main_type="Signature Detection" sub_type="${v.sub}" src=${v.src} dst=10.20.50.10 action=${v.action}`,
  },
  {
    product: 'PALO_ALTO',
    fields: { serial: fc.constantFrom('016401002345', '016401009999'), seqno: n(7320051230000000040, 7320051230000000043).map((s) => s.slice(0, 19)) },
    record: (v) => replace(PALO, [['016401002345', v.serial], ['7320051230000000042', v.seqno]]),
  },
  {
    product: 'FIREEYE_NX',
    fields: { appliance: fc.constantFrom('nx01.example.jp', 'nx02.example.jp'), id: n(100, 103) },
    record: (v) => JSON.stringify({ ...FIREEYE_DOC, appliance: v.appliance, alert: { ...(FIREEYE_DOC.alert as object), id: v.id } }),
  },
  {
    product: 'FIREEYE_NX',
    fields: { appliance: fc.constantFrom('nx01', 'nx02'), id: n(100, 103) },
    record: (v) => `CEF:0|FireEye|MPS|9.0|MC|malware-callback|7|dvchost=${v.appliance} externalId=${v.id} cs1Label=sname cs1=Trojan.Emotet src=10.0.0.1 dst=203.0.113.77`,
  },
  {
    product: 'CROWDSTRIKE_FALCON',
    fields: { composite: fc.constantFrom('cid:aid1:1', 'cid:aid1:2', 'cid:aid2:1') },
    record: (v) => JSON.stringify({ ...CROWDSTRIKE, event: { ...(CROWDSTRIKE.event as object), CompositeId: v.composite } }),
  },
  {
    product: 'CYBEREASON',
    fields: { guid: fc.constantFrom('11.1', '11.2', '12.1'), updated: n(1795222030000, 1795222030002) },
    record: (v) => JSON.stringify({ ...CYBEREASON, guid: v.guid, lastUpdateTime: Number(v.updated) }),
  },
  {
    product: 'CARBON_BLACK',
    fields: { id: fc.constantFrom('5e7a2c90-0000-4f6d-8e21-000000000001', '5e7a2c90-0000-4f6d-8e21-000000000002', '5e7a2c90-0000-4f6d-8e21-000000000003') },
    record: (v) => JSON.stringify({ ...CARBON_BLACK, id: v.id }),
  },
  {
    product: 'SYMANTEC_SEP',
    fields: { risk: token, host: token, ip, time: n(50, 52) },
    record: (v) => replace(SEP, [['W97M.Downloader', `W97M.${v.risk}`], ['PC-LEGAL-005', `PC-${v.host}`], ['IP Address: 10.60.14.58', `IP Address: ${v.ip}`], ['Event time: 2026-11-21 01:29:51', `Event time: 2026-11-21 01:29:${v.time}`]]),
  },
  {
    product: 'TREND_MICRO',
    fields: { virus: token, host: token, time: n(10, 12), act: fc.constantFrom('Quarantine', 'Clean') },
    record: (v) => replace(TREND, [['TROJ_FRS.VSNTKB26', `TROJ_${v.virus}`], ['dvchost=PC-OPS-019', `dvchost=PC-${v.host}`], ['01:41:07', `01:41:${v.time}`], ['act=Quarantine', `act=${v.act}`]]),
  },
  {
    product: 'IMPERVA_SECURESPHERE',
    // one Imperva alert id gathers many violations: it does not identify one on its own
    fields: { alert: n(1, 3), src: ip, url: token },
    record: (v) => replace(IMPERVA, [['cs6=10245', `cs6=1024${v.alert}`], ['src=203.0.113.15', `src=${v.src}`], ['/cart.php', `/${v.url}.php`]]),
  },
  {
    product: 'GENERIC_CEF',
    fields: { id: n(1, 3), sig: token, src: ip },
    record: (v) => `CEF:0|Example|IDS|1.0|SIG-${v.sig}|Possible C2 beacon|8|src=${v.src} dst=203.0.113.200 externalId=ids-${v.id}`,
  },
  {
    product: 'GENERIC_JSON',
    fields: { id: n(1, 3), rule: token, host: token },
    record: (v) => JSON.stringify({ kind: 'alert', id: v.id, rule: `Rule ${v.rule}`, severity: 8, host: { name: v.host } }),
  },
];

function keyOf(product: SensorProduct, record: string, receivedAt = '2026-11-21T01:00:00Z'): string {
  const out = parseRecord(product, record, context('Asia/Tokyo', receivedAt));
  if (!out.ok) throw new Error(`${product}: ${out.reason}`);
  const alerts = out.events.filter((e) => e.kind === 'alert');
  if (alerts.length !== 1) throw new Error(`${product}: expected one alert, got ${alerts.length}`);
  return alerts[0].alertKey!;
}

describe.each(CASES.map((c, i) => [`${c.product} #${i}`, c] as const))('alert identity: %s', (_name, c) => {
  const values = fc.record(c.fields);

  it('gives two records that differ in any identifying field different keys, and equal ones the same key', () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        const same = Object.keys(c.fields).every((f) => a[f] === b[f]);
        const ka = keyOf(c.product, c.record(a));
        const kb = keyOf(c.product, c.record(b));
        return same ? ka === kb : ka !== kb;
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the key of a replay: the same record behind another syslog header, received later', () => {
    fc.assert(
      fc.property(values, (v) => {
        const record = c.record(v);
        const header = /^\s*[{[]/.test(record) ? record : `<134>1 2026-11-21T10:00:00+09:00 relay-02 app - - - ${record}`;
        return keyOf(c.product, record) === keyOf(c.product, header, '2026-11-22T05:00:00Z');
      }),
      { numRuns: 50 },
    );
  });
});

describe('alert identity: vendor ids that name one detection', () => {
  it('keeps one FireEye alert one alert whether it came as JSON or as CEF from the same appliance', () => {
    const viaJson = keyOf('FIREEYE_NX', JSON.stringify({ ...FIREEYE_DOC, appliance: 'nx01.example-customer.jp', alert: { ...(FIREEYE_DOC.alert as object), id: '48213' } }));
    const viaCef = keyOf('FIREEYE_NX', 'CEF:0|FireEye|MPS|9.0|MC|malware-callback|7|dvchost=nx01 externalId=48213 cs1Label=sname cs1=Trojan.Emotet');
    expect(viaCef).toBe(viaJson);
  });

  it('bounds a key built from very long vendor ids (the unique index holds ~2.7 KB)', () => {
    const key = keyOf('CARBON_BLACK', JSON.stringify({ ...CARBON_BLACK, id: 'x'.repeat(5000) }));
    expect(key.length).toBeLessThan(100);
  });
});
