import { context, field, own, parseAll, parseOne, reasonFor } from './spec-helpers';

describe('FireEye extended JSON notifications', () => {
  it('reads the NX sample: alert array, callback blocked, majr -> high', () => {
    const record = own('fireeye-nx-extended.json');
    const [e] = parseAll('FIREEYE_NX', record);
    expect(e).toMatchObject({
      kind: 'alert',
      vendorEventId: '52716',
      groupKey: null,
      blocked: true,
      vendorSeverity: 'majr',
      ruleName: 'Trojan.QakBot',
      raw: record,
    });
    expect(e.occurredAt.toISOString()).toBe('2026-11-21T01:58:26.000Z');
    expect(e.ecs['@timestamp']).toBe('2026-11-21T01:58:26.000Z');
    expect(field(e.ecs, 'event.kind')).toBe('alert');
    expect(field(e.ecs, 'event.severity')).toBe(73);
    expect(field(e.ecs, 'kanshi.severity')).toBe('high');
    expect(field(e.ecs, 'source.ip')).toBe('10.60.13.48');
    expect(field(e.ecs, 'source.mac')).toBe('00-50-56-3A-9C-48');
    expect(field(e.ecs, 'destination.ip')).toBe('192.0.2.66');
    expect(field(e.ecs, 'destination.port')).toBe(8443);
    expect(field(e.ecs, 'host.name')).toBe('pc-ops-027.corp.example');
    expect(field(e.ecs, 'host.ip')).toEqual(['10.60.13.48']);
    expect(field(e.ecs, 'threat.software.name')).toBe('Trojan.QakBot');
    expect(field(e.ecs, 'rule.name')).toBe('Trojan.QakBot');
    expect(field(e.ecs, 'rule.category')).toBe('malware-callback');
    expect(field(e.ecs, 'event.url')).toBe('https://nx05.example-customer.jp/event_stream/events_for_bot?ma_id=52716');
    expect(field(e.ecs, 'observer')).toMatchObject({ vendor: 'FireEye', product: 'Web MPS', name: 'nx05.example-customer.jp', version: '9.1.0.950877' });
    expect(field(e.ecs, 'fireeye.cnc_services')).toEqual([
      { address: '192.0.2.66', port: '8443', protocol: 'tcp', channel: 'GET /t3/gate.php HTTP/1.1::~~Host: 192.0.2.66:8443::~~' },
    ]);
  });

  it('reads an EX e-mail alert with a malware array: crit -> critical, hashes, Japanese subject and file name', () => {
    const e = parseOne('FIREEYE_EX', own('fireeye-ex-email.json'));
    expect(e).toMatchObject({ kind: 'alert', vendorEventId: '1207', blocked: true, vendorSeverity: 'crit', ruleName: 'Trojan.Qakbot' });
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
    expect(e).toMatchObject({ vendorEventId: '77120', blocked: false, vendorSeverity: 'minr', ruleName: 'Exploit.Kit.Landing' });
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
    expect(e).toMatchObject({ vendorEventId: '3310', blocked: true, ruleName: 'Gen:Variant.Razy.123456' });
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
    expect(e).toMatchObject({ kind: 'alert', vendorEventId: '48213', blocked: true, ruleName: 'Trojan.Emotet', vendorSeverity: '7' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T02:14:09.000Z');
    expect(field(e.ecs, 'threat.software.name')).toBe('Trojan.Emotet');
    expect(field(e.ecs, 'event.url')).toBe('https://nx01.example-customer.jp/event_stream/events_for_bot?ma_id=48213');
    expect(field(e.ecs, 'host.ip')).toEqual(['10.20.30.41']);
    expect(field(e.ecs, 'host.name')).toBe('pc-sales-017.corp.example');
    expect(field(e.ecs, 'log.syslog.appname')).toBe('fenotify-48213.alert');
    expect(field(e.ecs, 'kanshi.severity')).toBe('high');
  });

  it('reads an EX alert on a phishing URL sent to two recipients: notified, majr -> high', () => {
    const e = parseOne('FIREEYE_EX', own('fireeye-ex-url.json'));
    expect(e).toMatchObject({ kind: 'alert', vendorEventId: '1318', blocked: false, vendorSeverity: 'majr', ruleName: 'Phish.URL.Credential' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T01:47:55.000Z');
    expect(field(e.ecs, 'kanshi.severity')).toBe('high');
    expect(field(e.ecs, 'event.outcome')).toBe('success');
    expect(field(e.ecs, 'event.action')).toBe('notified');
    expect(field(e.ecs, 'email')).toEqual({
      from: { address: ['it-support@account-verify.example'] },
      to: { address: ['ito@corp.example', 'ogawa@corp.example'] },
      subject: 'パスワードの有効期限が切れます',
      message_id: '<20261120014752.C9D0@account-verify.example>',
    });
    expect(field(e.ecs, 'user.email')).toBe('ito@corp.example');
    expect(field(e.ecs, 'threat.software')).toEqual({ name: 'Phish.URL.Credential', type: 'phish-url' });
    expect(field(e.ecs, 'url')).toEqual({ original: 'https://account-verify.example/owa/login.php?u=ito', full: 'https://account-verify.example/owa/login.php?u=ito' });
    expect(field(e.ecs, 'file')).toBeUndefined();
    expect(field(e.ecs, 'event.url')).toBe('https://ex01.example-customer.jp/emps/eanalysis?e_id=1318&type=url');
    expect(field(e.ecs, 'event.category')).toEqual(['malware', 'email', 'intrusion_detection']);
    expect(field(e.ecs, 'observer')).toMatchObject({ vendor: 'FireEye', product: 'Email MPS', name: 'ex01.example-customer.jp', serial_number: '00:25:90:aa:bb:dd' });
    expect(field(e.ecs, 'host')).toBeUndefined(); // a mail alert names no machine
  });

  it('reads a CM notification aggregating an NX and an EX alert: one event each, with its sensor product and address', () => {
    const [nx, ex] = parseAll('FIREEYE_CM', own('fireeye-cm-aggregated.json'));
    expect(nx).toMatchObject({ vendorEventId: '77401', blocked: true, vendorSeverity: 'majr', ruleName: 'Trojan.IcedID' });
    expect(nx.occurredAt.toISOString()).toBe('2026-11-20T04:10:33.000Z');
    expect(field(nx.ecs, 'kanshi.severity')).toBe('high');
    // the observer is the NX that saw it; the CM that forwarded it is kept apart
    expect(field(nx.ecs, 'observer')).toEqual({ vendor: 'FireEye', product: 'Web MPS', ip: ['10.0.0.6'], name: 'nx02.example-customer.jp' });
    expect(field(nx.ecs, 'fireeye.appliance')).toEqual({ name: 'cm01.example-customer.jp', id: '00:25:90:aa:bb:01', product: 'CMS', version: '9.1.1.951234' });
    expect(field(nx.ecs, 'source')).toEqual({ address: '10.20.30.64', ip: '10.20.30.64', port: 50412, domain: 'pc-dev-031.corp.example', mac: '00-50-56-AA-BB-64' });
    expect(field(nx.ecs, 'destination')).toEqual({ address: '198.51.100.23', ip: '198.51.100.23', port: 8080 });
    expect(field(nx.ecs, 'host')).toEqual({ name: 'pc-dev-031.corp.example', ip: ['10.20.30.64'], mac: ['00-50-56-AA-BB-64'] });
    expect(field(nx.ecs, 'threat.software')).toEqual({ name: 'Trojan.IcedID', type: 'bot-command' });
    expect(field(nx.ecs, 'event.category')).toEqual(['malware', 'intrusion_detection', 'network']);
    expect(field(nx.ecs, 'event.url')).toBe('https://cm01.example-customer.jp/event_stream/events_for_bot?ev_id=77401');

    expect(ex).toMatchObject({ vendorEventId: '77402', blocked: true, vendorSeverity: 'crit', ruleName: 'Trojan.IcedID' });
    expect(ex.occurredAt.toISOString()).toBe('2026-11-20T04:11:02.000Z');
    expect(field(ex.ecs, 'kanshi.severity')).toBe('critical');
    expect(field(ex.ecs, 'observer')).toEqual({ vendor: 'FireEye', product: 'Email MPS', ip: ['10.0.0.7'], name: 'ex01.example-customer.jp' });
    expect(field(ex.ecs, 'email')).toEqual({
      from: { address: ['accounts@vendor-billing.example'] },
      to: { address: ['yoshida@corp.example'] },
      subject: 'Invoice INV-20261120',
      message_id: '<20261120041059.E1F2@vendor-billing.example>',
    });
    expect(field(ex.ecs, 'file')).toEqual({
      name: 'INV-20261120.docm',
      hash: { md5: '6b740327003e5a1061fae5cce0e30774', sha256: 'f0f646e8f8adcc6d627d9e9452f5a05cfe7fd51632cad3d655a8276daadaa9f0' },
    });
    expect(field(ex.ecs, 'threat.software')).toEqual({ name: 'Trojan.IcedID', type: 'macro-loader' });
    expect(field(ex.ecs, 'event.category')).toEqual(['malware', 'email', 'intrusion_detection']);
    expect(field(ex.ecs, 'source')).toBeUndefined();
  });

  it('rejects broken notifications with a precise reason', () => {
    const truncated = own('fireeye-nx-extended.json').slice(0, 120);
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

describe('FireEye text notifications (alert e-mail, text-normal and text-concise)', () => {
  // The SMTP intake hands a FIREEYE_* sensor's mail body (or .txt attachment) over whole, trimmed,
  // as one record when it does not start with a JSON document (intake-listeners.service.ts).
  const asMailRecord = (body: string) => body.trim();

  it('reads the NX text-normal mail into the record the JSON notification of the same alert gives', () => {
    const text = own('fireeye-nx-text-normal.txt');
    expect(text).toContain('\r\n');
    const e = parseOne('FIREEYE_NX', asMailRecord(text));
    const [json] = parseAll('FIREEYE_NX', own('fireeye-nx-extended.json'));
    expect({ ...e, raw: null }).toEqual({ ...json, raw: null });
    expect(e.raw).toBe(asMailRecord(text));

    expect(e).toMatchObject({ kind: 'alert', vendorEventId: '52716', groupKey: null, blocked: true, vendorSeverity: 'majr', ruleName: 'Trojan.QakBot' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-21T01:58:26.000Z');
    expect(field(e.ecs, 'event')).toMatchObject({ kind: 'alert', severity: 73, outcome: 'failure', action: 'blocked', type: ['denied'] });
    expect(field(e.ecs, 'event.url')).toBe('https://nx05.example-customer.jp/event_stream/events_for_bot?ma_id=52716');
    expect(field(e.ecs, 'event.category')).toEqual(['malware', 'intrusion_detection', 'network']);
    expect(field(e.ecs, 'kanshi')).toEqual({ severity: 'high', product: 'FIREEYE_NX' });
    expect(field(e.ecs, 'observer')).toEqual({
      vendor: 'FireEye',
      product: 'Web MPS',
      name: 'nx05.example-customer.jp',
      serial_number: '00:25:90:c4:7e:12',
      version: '9.1.0.950877',
    });
    expect(field(e.ecs, 'source')).toEqual({ address: '10.60.13.48', ip: '10.60.13.48', domain: 'pc-ops-027.corp.example', mac: '00-50-56-3A-9C-48' });
    expect(field(e.ecs, 'destination')).toEqual({ address: '192.0.2.66', ip: '192.0.2.66', port: 8443, mac: '00-00-5E-00-01-02' });
    expect(field(e.ecs, 'network.vlan')).toBeUndefined(); // VLAN 0: untagged
    expect(field(e.ecs, 'host')).toEqual({ name: 'pc-ops-027.corp.example', ip: ['10.60.13.48'], mac: ['00-50-56-3A-9C-48'] });
    expect(field(e.ecs, 'threat.software')).toEqual({ name: 'Trojan.QakBot', type: 'bot-command' });
    expect(field(e.ecs, 'rule.name')).toBe('Trojan.QakBot');
    expect(field(e.ecs, 'fireeye')).toEqual({
      cnc_services: [{ address: '192.0.2.66', port: '8443', protocol: 'tcp', channel: 'GET /t3/gate.php HTTP/1.1::~~Host: 192.0.2.66:8443::~~' }],
      analysis: 'content',
      malware: [{ name: 'Trojan.QakBot', stype: 'bot-command' }],
    });
  });

  it('reads the same mail with LF line ends alike', () => {
    const crlf = parseOne('FIREEYE_NX', asMailRecord(own('fireeye-nx-text-normal.txt')));
    const lf = parseOne('FIREEYE_NX', asMailRecord(own('fireeye-nx-text-normal.txt').replace(/\r\n/g, '\n')));
    expect(lf.ecs).toEqual(crlf.ecs);
  });

  it('reads an EX text-normal mail: two malware objects, two recipients, local time without a zone in the device zone', () => {
    const text = asMailRecord(own('fireeye-ex-text-normal.txt'));
    const e = parseOne('FIREEYE_EX', text);
    expect(e).toMatchObject({ kind: 'alert', vendorEventId: '1311', blocked: true, vendorSeverity: 'crit', ruleName: 'Trojan.Formbook' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T01:02:17.000Z'); // 10:02:17 in Tokyo
    expect(parseOne('FIREEYE_EX', text, context('UTC')).occurredAt.toISOString()).toBe('2026-11-20T10:02:17.000Z');
    expect(field(e.ecs, 'event.severity')).toBe(99);
    expect(field(e.ecs, 'kanshi.severity')).toBe('critical');
    expect(field(e.ecs, 'event.outcome')).toBe('failure');
    expect(field(e.ecs, 'event.url')).toBe('https://ex01.example-customer.jp/emps/eanalysis?e_id=1311&type=attch');
    expect(field(e.ecs, 'observer')).toEqual({
      vendor: 'FireEye',
      product: 'Email MPS',
      name: 'ex01.example-customer.jp',
      serial_number: '00:25:90:aa:bb:dd',
      version: '9.0.2.930123',
    });
    expect(field(e.ecs, 'email')).toEqual({
      from: { address: ['noreply@delivery-status.example'] },
      to: { address: ['sato@corp.example', 'hr-recruit@corp.example'] },
      subject: '【重要】配送状況のお知らせ',
      message_id: '<20261120010215.7F3A@delivery-status.example>',
    });
    expect(field(e.ecs, 'user.email')).toBe('sato@corp.example');
    expect(field(e.ecs, 'threat.software')).toEqual({ name: 'Trojan.Formbook', type: 'infostealer' });
    expect(field(e.ecs, 'file')).toEqual({
      name: '配送伝票_1120.zip',
      hash: { md5: '4d59fe4a93b6c091e4f74d9bb87fc1a7', sha256: '9bd203a6267ea4206a3976216b1cbdc3db769a5189cabdcfe3bd57315b6f368b' },
    });
    expect(field(e.ecs, 'related.hash')).toEqual([
      '4d59fe4a93b6c091e4f74d9bb87fc1a7',
      '9bd203a6267ea4206a3976216b1cbdc3db769a5189cabdcfe3bd57315b6f368b',
      'be12d4215731238921693673ba3c00ba',
      '5ec96b8acd0f0f5187684da458a439ef0d968fbe7830b9df8de4b66625f4ce7c',
    ]);
    expect(field(e.ecs, 'fireeye.malware')).toEqual([
      { name: 'Trojan.Formbook', type: 'zip', stype: 'infostealer', md5: '4d59fe4a93b6c091e4f74d9bb87fc1a7', sha256: '9bd203a6267ea4206a3976216b1cbdc3db769a5189cabdcfe3bd57315b6f368b' },
      { name: 'Downloader.JS.Generic', type: 'js', md5: 'be12d4215731238921693673ba3c00ba', sha256: '5ec96b8acd0f0f5187684da458a439ef0d968fbe7830b9df8de4b66625f4ce7c' },
    ]);
    expect(field(e.ecs, 'fireeye.analysis')).toBe('binary');
    expect(field(e.ecs, 'event.category')).toEqual(['malware', 'email', 'intrusion_detection']);
    expect(field(e.ecs, 'source')).toBeUndefined();
    expect(field(e.ecs, 'host')).toBeUndefined();
  });

  it('reads a CM text-concise digest: one event per alert, unknown severity and action left unknown', () => {
    const events = parseAll('FIREEYE_CM', asMailRecord(own('fireeye-cm-text-concise.txt')));
    expect(events.map((e) => [e.vendorEventId, e.ruleName, e.occurredAt.toISOString()])).toEqual([
      ['77342', 'Backdoor.Cobalt.Beacon', '2026-11-20T03:41:52.000Z'],
      ['77343', 'Backdoor.Cobalt.Beacon', '2026-11-20T03:42:05.000Z'],
    ]);
    for (const e of events) {
      expect(e).toMatchObject({ kind: 'alert', blocked: null, vendorSeverity: null, groupKey: null });
      expect(field(e.ecs, 'kanshi.severity')).toBe('medium'); // the concise format carries no severity
      expect(field(e.ecs, 'event.outcome')).toBe('unknown');
      expect(field(e.ecs, 'observer')).toEqual({ vendor: 'FireEye', product: 'CMS', name: 'cm01.example-customer.jp' });
      expect(field(e.ecs, 'source')).toEqual({ address: '10.20.30.52', ip: '10.20.30.52', domain: 'pc-hr-008.corp.example' });
      expect(field(e.ecs, 'host')).toEqual({ name: 'pc-hr-008.corp.example', ip: ['10.20.30.52'] });
      expect(field(e.ecs, 'threat.software.name')).toBe('Backdoor.Cobalt.Beacon');
      expect(field(e.ecs, 'event.category')).toEqual(['malware', 'intrusion_detection', 'network']);
      expect(e.raw).toBe(asMailRecord(own('fireeye-cm-text-concise.txt')));
    }
    expect(events.map((e) => field(e.ecs, 'event.url'))).toEqual([
      'https://cm01.example-customer.jp/event_stream/events_for_bot?ev_id=77342',
      'https://cm01.example-customer.jp/event_stream/events_for_bot?ev_id=77343',
    ]);
  });

  it('reads labels regardless of case, separators and padding, and values holding braces', () => {
    const e = parseOne(
      'FIREEYE_NX',
      'alert-id   : 9001\nALERT TYPE : web-infection\nseverity   : Minor\noccurred   : 2026-11-20 11:00:00 +0900\naction     : notified\nsrc_ip     : 10.20.30.99\nURL        : http://198.51.100.9/kit/{id}/land.php   \nRecipients : ito@corp.example; ogawa@corp.example',
    );
    expect(e).toMatchObject({ vendorEventId: '9001', ruleName: 'web-infection', blocked: false, vendorSeverity: 'Minor' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T02:00:00.000Z');
    expect(field(e.ecs, 'kanshi.severity')).toBe('low');
    expect(field(e.ecs, 'source.ip')).toBe('10.20.30.99');
    expect(field(e.ecs, 'url.full')).toBe('http://198.51.100.9/kit/{id}/land.php');
    expect(field(e.ecs, 'email.to.address')).toEqual(['ito@corp.example', 'ogawa@corp.example']);
  });

  it('quarantines text that is not an alert, or an alert without its ID or type, with the reason', () => {
    expect(reasonFor('FIREEYE_EX', 'Dear customer,\nyour appliance license expires soon.\nRegards')).toBe('FireEye: expected a JSON notification or CEF, found neither');
    expect(reasonFor('FIREEYE_EX', 'Product: Email MPS\nVersion: 9.0.2')).toBe('FireEye: expected a JSON notification or CEF, found neither');
    expect(reasonFor('FIREEYE_NX', 'Alert Type: malware-callback\nSeverity: majr\nSource IP: 10.20.30.41')).toBe('FireEye: text notification has no alert ID');
    expect(reasonFor('FIREEYE_NX', 'Alert ID: 48213\nSource IP: 10.20.30.41')).toBe('FireEye: text notification has no alert type');
    expect(reasonFor('FIREEYE_NX', 'Alert ID: 1\nAlert Type: domain-match\nAlert ID: 2\nSeverity: minr')).toBe(
      'FireEye: text notification (alert 2 of 2) has no alert type',
    );
  });
});
