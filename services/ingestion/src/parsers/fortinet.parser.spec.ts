import { decodeDeviceText } from './charset';
import { parseKeyValues } from './fortinet.parser';
import { context, field, lines, own, ownBytes, parseOne, reasonFor } from './spec-helpers';

const [ips, virus] = lines(own('fortigate-utm.log'));
const more = lines(own('fortigate-more.log'));

describe('parseKeyValues', () => {
  it('reads bare and quoted values, escapes, and the FortiOS csv layout', () => {
    expect([...parseKeyValues('a=1 b="two words" c="say \\"hi\\"" d= e=x')]).toEqual([
      ['a', '1'],
      ['b', 'two words'],
      ['c', 'say "hi"'],
      ['d', ''],
      ['e', 'x'],
    ]);
    expect([...parseKeyValues('date=2026-11-20,time=10:16:00,devname="FGT, HQ",logid="0419016384"')]).toEqual([
      ['date', '2026-11-20'],
      ['time', '10:16:00'],
      ['devname', 'FGT, HQ'],
      ['logid', '0419016384'],
    ]);
  });

  it('keeps what it can of a truncated line', () => {
    expect(parseKeyValues('logid="04190 msg="abc').get('logid')).toBe('04190 msg=');
    expect(parseKeyValues('junk logid=1 =x y=').get('logid')).toBe('1');
  });
});

describe('FortiGate', () => {
  it('reads the IPS sample: local time with tz, incidentserialno, dropped, critical', () => {
    const e = parseOne('FORTIGATE', ips);
    expect(e).toMatchObject({
      kind: 'alert',
      groupKey: '318840177',
      blocked: true,
      vendorSeverity: 'critical',
      ruleName: 'Atlassian.Confluence.OGNL.Injection',
      vendorEventId: 'FG200FTK21004417:0419016384:1795222032:3310827',
    });
    expect(e.occurredAt.toISOString()).toBe('2026-11-21T00:47:12.000Z'); // 09:47:12 +0900
    expect(field(e.ecs, 'event.severity')).toBe(99);
    expect(field(e.ecs, 'source')).toMatchObject({ ip: '10.60.12.25', port: 61822 });
    expect(field(e.ecs, 'destination')).toMatchObject({ ip: '192.0.2.144', port: 443 });
    expect(field(e.ecs, 'rule.id')).toBe('52113');
    expect(field(e.ecs, 'network.transport')).toBe('tcp');
    expect(field(e.ecs, 'host.ip')).toEqual(['10.60.12.25']); // outgoing: the internal client
    expect(field(e.ecs, 'observer')).toMatchObject({ vendor: 'Fortinet', product: 'FortiGate', name: 'FGT-KYOTO-02', serial_number: 'FG200FTK21004417' });
    expect(field(e.ecs, 'log.syslog.priority')).toBe(185);
    expect(field(e.ecs, 'event.category')).toEqual(['intrusion_detection', 'network']);
  });

  it('reads the antivirus sample: level warning -> medium, file, hash, URL, internal destination', () => {
    const e = parseOne('FORTIGATE', virus);
    expect(e).toMatchObject({ kind: 'alert', groupKey: null, blocked: true, vendorSeverity: 'warning', ruleName: 'JS/Nemucod.AB!tr' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-21T00:51:40.000Z');
    expect(field(e.ecs, 'kanshi.severity')).toBe('medium');
    expect(field(e.ecs, 'file.name')).toBe('shipping_notice.zip');
    expect(field(e.ecs, 'file.hash.sha256')).toBe('a98886af5322b93e6856a27362cd9cef7dc8dcb09570dd7adad10b82bf787aa0');
    expect(field(e.ecs, 'threat.software.name')).toBe('JS/Nemucod.AB!tr');
    expect(field(e.ecs, 'url.full')).toBe('http://192.0.2.201/files/shipping_notice.zip');
    expect(field(e.ecs, 'host.ip')).toEqual(['10.60.12.77']);
  });

  it('reads traffic logs as events: accept is not blocked, deny is', () => {
    const accept = parseOne('FORTIGATE', more[0]);
    expect(accept).toMatchObject({ kind: 'event', blocked: false, ruleName: 'LAN-to-WAN', vendorSeverity: 'notice' });
    expect(accept.occurredAt.toISOString()).toBe('2026-11-20T01:10:00.000Z');
    expect(field(accept.ecs, 'event.severity')).toBe(0);
    expect(field(accept.ecs, 'kanshi.severity')).toBe('info');
    expect(field(accept.ecs, 'source.nat')).toEqual({ address: '198.51.100.2', ip: '198.51.100.2', port: 40000 });
    expect(field(accept.ecs, 'source.bytes')).toBe(1000);
    expect(field(accept.ecs, 'destination.bytes')).toBe(5000);
    expect(field(accept.ecs, 'event.type')).toEqual(['connection', 'allowed']);
    const deny = parseOne('FORTIGATE', more[1]);
    expect(deny).toMatchObject({ kind: 'event', blocked: true, ruleName: 'implicit deny (policy 0)' });
    expect(field(deny.ecs, 'event.type')).toEqual(['connection', 'denied']);
    expect(field(deny.ecs, 'event.outcome')).toBe('failure');
  });

  it('reads an admin login event', () => {
    const e = parseOne('FORTIGATE', more[2]);
    expect(e).toMatchObject({ kind: 'event', blocked: null, ruleName: 'Admin login successful' });
    expect(field(e.ecs, 'event.category')).toEqual(['authentication']);
    expect(field(e.ecs, 'event.outcome')).toBe('success');
    expect(field(e.ecs, 'user.name')).toBe('admin');
  });

  it('treats a web filter block of a malicious category as an alert and application control as an event', () => {
    const web = parseOne('FORTIGATE', more[3]);
    expect(web).toMatchObject({ kind: 'alert', blocked: true, ruleName: 'Malicious Websites' });
    expect(field(web.ecs, 'url.full')).toBe('http://phish.example.net/login/account-verify.html');
    expect(field(web.ecs, 'url.domain')).toBe('phish.example.net');
    const app = parseOne('FORTIGATE', more[4]);
    expect(app).toMatchObject({ kind: 'event', blocked: false, ruleName: 'Dropbox' });
  });

  it('reads FortiOS 4.x "type=ips" without tz in the device zone, and the csv format', () => {
    const legacy = parseOne('FORTIGATE', more[5], context('Asia/Tokyo'));
    expect(legacy).toMatchObject({ kind: 'alert', blocked: true, vendorSeverity: 'high' });
    expect(legacy.occurredAt.toISOString()).toBe('2026-11-20T01:15:00.000Z');
    expect(field(legacy.ecs, 'kanshi.severity')).toBe('high');
    const legacyInUtc = parseOne('FORTIGATE', more[5], context('UTC'));
    expect(legacyInUtc.occurredAt.toISOString()).toBe('2026-11-20T10:15:00.000Z');
    const csv = parseOne('FORTIGATE', more[6]);
    expect(csv).toMatchObject({ kind: 'alert', blocked: false, groupKey: '204811300', ruleName: 'HTTP.URI.SQL.Injection' });
    expect(field(csv.ecs, 'kanshi.severity')).toBe('medium');
  });

  it('uses eventtime when date/time are missing', () => {
    const e = parseOne('FORTIGATE', 'logid="0419016384" type="utm" subtype="ips" eventtime=1795137000123456789 attack="X" severity="low"');
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T01:10:00.123Z');
    expect(field(e.ecs, 'event.severity')).toBe(21);
  });

  it('reads a Shift_JIS line with Japanese values once decoded', () => {
    const e = parseOne('FORTIGATE', decodeDeviceText(ownBytes('fortigate-ja.sjis.log')));
    expect(field(e.ecs, 'observer.name')).toBe('FGT-大阪-01');
    expect(field(e.ecs, 'user.name')).toBe('田中太郎');
    expect(field(e.ecs, 'file.name')).toBe('請求書_2026年11月.zip');
  });

  it('rejects lines without logid or without pairs', () => {
    expect(reasonFor('FORTIGATE', more[7])).toBe('FortiGate: missing key "logid"');
    expect(reasonFor('FORTIGATE', '<189>this is not a FortiGate log')).toBe('FortiGate: no key=value pairs found');
  });
});

describe('FortiWeb', () => {
  const [attack, traffic, xss] = lines(own('fortiweb.log'));

  it('reads an attack log: timezone field, Alert_Deny blocked, High, URL built from host and path', () => {
    const e = parseOne('FORTIWEB', attack);
    expect(e).toMatchObject({
      kind: 'alert',
      vendorEventId: '000012345678',
      blocked: true,
      vendorSeverity: 'High',
      ruleName: 'SQL Injection (Extended)',
    });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T02:30:01.000Z');
    expect(field(e.ecs, 'event.severity')).toBe(73);
    expect(field(e.ecs, 'rule.id')).toBe('030000136');
    expect(field(e.ecs, 'rule.category')).toBe('Signature Detection');
    expect(field(e.ecs, 'vulnerability.category')).toEqual(['A03:2021-Injection']);
    expect(field(e.ecs, 'url.full')).toBe("https://shop.example.jp/login.php?id=1'+or+'1'='1");
    expect(field(e.ecs, 'source')).toMatchObject({ ip: '203.0.113.9', port: 51234 });
    expect(field(e.ecs, 'host.ip')).toEqual(['10.20.50.10']);
    expect(field(e.ecs, 'user')).toBeUndefined(); // "Unknown" is a placeholder
    expect(field(e.ecs, 'http.request.referrer')).toBeUndefined(); // "none" too
  });

  it('reads traffic as an event and a plain Alert action as not blocked', () => {
    expect(parseOne('FORTIWEB', traffic)).toMatchObject({ kind: 'event', blocked: false });
    const e = parseOne('FORTIWEB', xss);
    expect(e).toMatchObject({ kind: 'alert', blocked: false, vendorSeverity: 'Medium' });
    expect(field(e.ecs, 'kanshi.severity')).toBe('medium');
  });

  it('requires log_id', () => {
    expect(reasonFor('FORTIWEB', 'date=2026-11-20 time=11:30:01 type=attack')).toBe('FortiWeb: missing key "log_id"');
  });
});
