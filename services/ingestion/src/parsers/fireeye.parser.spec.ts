import { context, field, own, parseAll, parseOne, reasonFor, shared } from './spec-helpers';

describe('FireEye extended JSON notifications', () => {
  it('reads the NX sample: alert array, callback blocked, majr -> high', () => {
    const record = shared('fireeye-nx-extended.json');
    const [e] = parseAll('FIREEYE_NX', record);
    expect(e).toMatchObject({
      kind: 'alert',
      vendorEventId: '48213',
      groupKey: null,
      blocked: true,
      vendorSeverity: 'majr',
      ruleName: 'malware-callback',
      raw: record,
    });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T02:14:09.000Z');
    expect(e.ecs['@timestamp']).toBe('2026-11-20T02:14:09.000Z');
    expect(field(e.ecs, 'event.kind')).toBe('alert');
    expect(field(e.ecs, 'event.severity')).toBe(73);
    expect(field(e.ecs, 'kanshi.severity')).toBe('high');
    expect(field(e.ecs, 'source.ip')).toBe('10.20.30.41');
    expect(field(e.ecs, 'source.mac')).toBe('00-50-56-12-34-56');
    expect(field(e.ecs, 'destination.ip')).toBe('203.0.113.77');
    expect(field(e.ecs, 'destination.port')).toBe(443);
    expect(field(e.ecs, 'host.name')).toBe('pc-sales-017.corp.example');
    expect(field(e.ecs, 'host.ip')).toEqual(['10.20.30.41']);
    expect(field(e.ecs, 'threat.software.name')).toBe('Trojan.Emotet');
    expect(field(e.ecs, 'rule.name')).toBe('malware-callback');
    expect(field(e.ecs, 'event.url')).toBe('https://nx01.example-customer.jp/event_stream/events_for_bot?ma_id=48213');
    expect(field(e.ecs, 'observer')).toMatchObject({ vendor: 'FireEye', product: 'Web MPS', name: 'nx01.example-customer.jp', version: '9.0.3.935012' });
    expect(field(e.ecs, 'fireeye.cnc_services')).toEqual([
      { address: '203.0.113.77', port: '443', protocol: 'tcp', channel: 'POST /wp/ HTTP/1.1::~~Host: 203.0.113.77::~~' },
    ]);
  });

  it('reads an EX e-mail alert with a malware array: crit -> critical, hashes, Japanese subject and file name', () => {
    const e = parseOne('FIREEYE_EX', own('fireeye-ex-email.json'));
    expect(e).toMatchObject({ kind: 'alert', vendorEventId: '1207', blocked: true, vendorSeverity: 'crit', ruleName: 'malware-object' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T00:31:40.000Z'); // "+09" offset
    expect(field(e.ecs, 'event.severity')).toBe(99);
    expect(field(e.ecs, 'kanshi.severity')).toBe('critical');
    expect(field(e.ecs, 'email.from.address')).toEqual(['billing@invoice-notice.example']);
    expect(field(e.ecs, 'email.to.address')).toEqual(['kato@corp.example']);
    expect(field(e.ecs, 'email.subject')).toBe('請求書送付のご案内');
    expect(field(e.ecs, 'file.name')).toBe('請求書_1120.xlsm');
    expect(field(e.ecs, 'file.hash.md5')).toBe('9e107d9d372bb6826bd81d3542a419d6');
    expect(field(e.ecs, 'file.hash.sha256')).toBe('ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c');
    expect(field(e.ecs, 'related.hash')).toContain('e4d909c290d0fb1ca068ffaddf22cbd0'); // the second malware object
    expect(field(e.ecs, 'event.category')).toEqual(['malware', 'email', 'intrusion_detection']);
  });

  it('reads the CM camelCase variant: minr -> low, notified is not blocked', () => {
    const e = parseOne('FIREEYE_CM', own('fireeye-cm-camelcase.json'));
    expect(e).toMatchObject({ vendorEventId: '77120', blocked: false, vendorSeverity: 'minr', ruleName: 'web-infection' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T03:05:11.000Z');
    expect(field(e.ecs, 'event.severity')).toBe(21);
    expect(field(e.ecs, 'source.ip')).toBe('10.20.30.77');
    expect(field(e.ecs, 'source.port')).toBe(49822);
    expect(field(e.ecs, 'destination.ip')).toBe('198.51.100.14');
    expect(field(e.ecs, 'observer.ip')).toEqual(['10.0.0.5']);
    expect(field(e.ecs, 'event.url')).toBe('https://cm01.example-customer.jp/event_stream/events_for_bot?ev_id=77120');
    expect(field(e.ecs, 'threat.software.name')).toBe('Exploit.Kit.Landing');
    expect(field(e.ecs, 'url.full')).toBe('http://198.51.100.14/landing/index.php');
    expect(field(e.ecs, 'host.name')).toBe('pc-eng-004.corp.example');
  });

  it('reads HX fields: host, agent id, user, process, malware path and MD5', () => {
    const e = parseOne('FIREEYE_HX', own('fireeye-hx.json'));
    expect(e).toMatchObject({ vendorEventId: '3310', blocked: true, ruleName: 'MALWARE_DETECTED' });
    expect(field(e.ecs, 'host')).toEqual({ name: 'PC-ACCT-011', id: 'Ab12Cd34Ef56Gh78Ij90Kl', ip: ['10.20.31.11'] });
    expect(field(e.ecs, 'user')).toEqual({ name: 'kobayashi', domain: 'CORP' });
    expect(field(e.ecs, 'process.executable')).toBe('C:\\Windows\\System32\\rundll32.exe');
    expect(field(e.ecs, 'process.name')).toBe('rundll32.exe');
    expect(field(e.ecs, 'file.path')).toBe('C:\\Users\\kobayashi\\AppData\\Roaming\\upd.dll');
    expect(field(e.ecs, 'file.name')).toBe('upd.dll');
    expect(field(e.ecs, 'file.hash.md5')).toBe('2c26b46b68ffc68ff99b453c1d304134');
    expect(field(e.ecs, 'kanshi.severity')).toBe('high');
  });

  it('reads the JSON out of an alert e-mail body (CRLF, greeting, signature): one event per alert', () => {
    const body = own('fireeye-mail-body.txt');
    const events = parseAll('FIREEYE_NX', body);
    expect(events.map((e) => e.vendorEventId)).toEqual(['48214', '48215']);
    expect(events.map((e) => e.blocked)).toEqual([false, true]);
    expect(events.map((e) => field(e.ecs, 'kanshi.severity'))).toEqual(['low', 'critical']);
    expect(events.map((e) => e.occurredAt.toISOString())).toEqual(['2026-11-20T02:20:00.000Z', '2026-11-20T02:20:05.000Z']);
    expect(events.every((e) => e.raw === body)).toBe(true);
  });

  it('reads a single alert object and the HX API alert shape', () => {
    const single = '{"alert":{"id":"9","name":"ips-event","occurred":"2026-11-20 11:00:00","severity":"majr","action":"notified","src":{"ip":"198.51.100.5"},"dst":{"ip":"10.20.40.10","port":"445"}}}';
    const e = parseOne('FIREEYE_NX', single);
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T02:00:00.000Z'); // no zone: device zone (Tokyo)
    expect(field(e.ecs, 'host.ip')).toEqual(['10.20.40.10']); // the internal target of an inbound exploit
    const hx = parseOne(
      'FIREEYE_HX',
      '{"_id":501,"agent":{"_id":"AgEnT1234"},"event_at":"2026-11-20T03:33:00.000Z","source":"IOC","indicator":{"display_name":"CobaltStrike Beacon"},"resolution":"ALERT","event_values":{"processEvent/processPath":"C:\\\\Users\\\\a\\\\beacon.exe","processEvent/username":"CORP\\\\abe","ipv4NetworkEvent/remoteIP":"203.0.113.8"}}',
    );
    expect(hx).toMatchObject({ vendorEventId: '501', ruleName: 'CobaltStrike Beacon', blocked: false });
    expect(field(hx.ecs, 'host.id')).toBe('AgEnT1234');
    expect(field(hx.ecs, 'process.name')).toBe('beacon.exe');
    expect(field(hx.ecs, 'user.name')).toBe('abe');
    expect(field(hx.ecs, 'destination.ip')).toBe('203.0.113.8');
  });

  it('reads FireEye CEF through the CEF parser', () => {
    const e = parseOne('FIREEYE_NX', own('fireeye-cef.log').trim());
    expect(e).toMatchObject({ kind: 'alert', vendorEventId: '48213', blocked: true, ruleName: 'malware-callback', vendorSeverity: '7' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T02:14:09.000Z');
    expect(field(e.ecs, 'threat.software.name')).toBe('Trojan.Emotet');
    expect(field(e.ecs, 'event.url')).toBe('https://nx01.example-customer.jp/event_stream/events_for_bot?ma_id=48213');
    expect(field(e.ecs, 'host.ip')).toEqual(['10.20.30.41']);
    expect(field(e.ecs, 'host.name')).toBe('pc-sales-017.corp.example');
    expect(field(e.ecs, 'log.syslog.appname')).toBe('fenotify-48213.alert');
    expect(field(e.ecs, 'kanshi.severity')).toBe('high');
  });

  it('rejects broken notifications with a precise reason', () => {
    const truncated = shared('fireeye-nx-extended.json').slice(0, 120);
    expect(reasonFor('FIREEYE_NX', truncated)).toBe('FireEye: invalid JSON: Unexpected end of JSON input at position 120');
    expect(reasonFor('FIREEYE_NX', '{"msg":"extended","product":"Web MPS"}')).toBe('FireEye: notification has no "alert"');
    expect(reasonFor('FIREEYE_NX', '{"alert":[]}')).toBe('FireEye: "alert" holds no alert objects');
    expect(reasonFor('FIREEYE_NX', 'Dear customer, nothing to see')).toBe('FireEye: expected a JSON notification or CEF, found neither');
  });

  it('falls back to the receive time when the alert has no readable time', () => {
    const ctx = context('Asia/Tokyo', '2026-11-20T05:00:00Z');
    const e = parseOne('FIREEYE_NX', '{"alert":{"id":"1","name":"x","occurred":"yesterday","severity":"??"}}', ctx);
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T05:00:00.000Z');
    expect(field(e.ecs, 'kanshi.severity')).toBe('medium'); // unknown severity of an alert
    expect(e.vendorSeverity).toBe('??');
  });
});
