import { splitCsv } from './paloalto.parser';
import { context, field, lines, own, parseOne, reasonFor } from './spec-helpers';

const sample = lines(own('paloalto-threat.log'))[0];
const [traffic, deny, spyware, urlBenign, wildfire, vuln91, system] = lines(own('paloalto-panos10.log'));
const [traffic80, traffic91, traffic100, threat100] = lines(own('paloalto-by-version.log'));

describe('splitCsv', () => {
  it('keeps commas and doubled quotes inside quoted fields', () => {
    expect(splitCsv('a,"b,c",,"say ""hi""",d')).toEqual(['a', 'b,c', '', 'say "hi"', 'd']);
    expect(splitCsv('a,"unterminated,b')).toEqual(['a', 'unterminated,b']);
  });
});

describe('Palo Alto PAN-OS', () => {
  it('reads the THREAT sample (72 columns, 6.x-8.0 table) field by field', () => {
    const e = parseOne('PALO_ALTO', sample);
    expect(e).toMatchObject({
      kind: 'alert',
      vendorEventId: '016401002345:7320051230000000042',
      groupKey: null,
      blocked: true,
      vendorSeverity: 'critical',
      ruleName: 'Microsoft Windows SMBv1 Remote Code Execution Vulnerability',
    });
    expect(e.occurredAt.toISOString()).toBe('2026-11-21T01:12:41.000Z'); // generated time, Tokyo
    expect(field(e.ecs, 'event.severity')).toBe(99);
    expect(field(e.ecs, 'rule.id')).toBe('32424');
    expect(field(e.ecs, 'rule.ruleset')).toBe('Users-to-Servers');
    expect(field(e.ecs, 'source')).toMatchObject({ ip: '10.60.14.33', port: 52817, user: { name: 'nakamura', domain: 'kansai' } });
    expect(field(e.ecs, 'destination')).toMatchObject({ ip: '10.60.50.12', port: 445 });
    expect(field(e.ecs, 'source.nat')).toBeUndefined(); // 0.0.0.0 means no NAT
    expect(field(e.ecs, 'network.application')).toBe('ms-ds-smb');
    expect(field(e.ecs, 'event.action')).toBe('reset-both');
    expect(field(e.ecs, 'host.ip')).toEqual(['10.60.50.12']); // client-to-server exploit: the server is hit
    expect(field(e.ecs, 'observer')).toMatchObject({ serial_number: '016401002345', name: 'pa-osaka-01', hostname: 'pa-osaka-01' });
    expect(field(e.ecs, 'panw.panos.format')).toBe('PAN-OS 6.x-8.0');
    expect(field(e.ecs, 'panw.panos.thr_category')).toBe('code-execution');
  });

  it('reads a PAN-OS 10.1 TRAFFIC line (115 columns): event, high-resolution time, host name and MAC', () => {
    const e = parseOne('PALO_ALTO', traffic);
    expect(e).toMatchObject({ kind: 'event', blocked: false, ruleName: 'LAN-to-Internet', vendorEventId: '013201009999:7210044120000000777' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T01:14:58.123Z');
    expect(field(e.ecs, 'event.severity')).toBe(0);
    expect(field(e.ecs, 'panw.panos.format')).toBe('PAN-OS 10.1-11.x');
    expect(field(e.ecs, 'source.domain')).toBe('pc-sales-021');
    expect(field(e.ecs, 'source.mac')).toBe('00-50-56-AA-BB-21');
    expect(field(e.ecs, 'source.nat')).toEqual({ address: '198.51.100.2', ip: '198.51.100.2', port: 40500 });
    expect(field(e.ecs, 'network.bytes')).toBe(7312);
    expect(field(e.ecs, 'event.duration')).toBe(28e9);
    expect(field(e.ecs, 'rule.uuid')).toBe('5f0b8c6d-2b1f-4a4e-9d6c-7b8a9f0e1aaa');
  });

  it('reads a denied session behind an RFC 5424 header as blocked', () => {
    const e = parseOne('PALO_ALTO', deny);
    expect(e).toMatchObject({ kind: 'event', blocked: true, ruleName: 'deny-all' });
    expect(field(e.ecs, 'event.type')).toEqual(['connection', 'denied']);
    expect(field(e.ecs, 'log.syslog.hostname')).toBe('pa-hq-01');
  });

  it('reads a 10.2 spyware THREAT (121 columns) with a quoted URL holding a comma', () => {
    const e = parseOne('PALO_ALTO', spyware);
    expect(e).toMatchObject({ kind: 'alert', blocked: true, vendorSeverity: 'critical', ruleName: 'Win32.Agent.Gen Command and Control Traffic' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T01:20:00.500Z');
    expect(field(e.ecs, 'url.original')).toBe('c2.example.net/gate.php?id=7,step=2');
    expect(field(e.ecs, 'rule.id')).toBe('13000123');
    expect(field(e.ecs, 'host')).toEqual({ name: 'pc-eng-004', ip: ['10.20.30.77'] }); // spyware: the infected client
    expect(field(e.ecs, 'threat.software.name')).toBe('Win32.Agent.Gen Command and Control Traffic');
    expect(field(e.ecs, 'panw.panos.category_of_app')).toBe('general-internet');
  });

  it('keeps benign URL-filtering entries as events, WildFire verdicts as alerts', () => {
    const url = parseOne('PALO_ALTO', urlBenign);
    expect(url).toMatchObject({ kind: 'event', blocked: false, vendorSeverity: 'informational', ruleName: 'news' });
    expect(field(url.ecs, 'event.severity')).toBe(0);
    expect(field(url.ecs, 'url.domain')).toBe('news.example.org');
    const wf = parseOne('PALO_ALTO', wildfire);
    expect(wf).toMatchObject({ kind: 'alert', blocked: false, ruleName: 'WildFire malicious: Windows Executable (EXE)' });
    expect(field(wf.ecs, 'file.name')).toBe('請求書_2026.exe');
    expect(field(wf.ecs, 'file.hash.sha256')).toBe('0b3f0e1d2c4a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344');
    expect(field(wf.ecs, 'host.ip')).toEqual(['10.20.30.88']);
    expect(field(wf.ecs, 'kanshi.severity')).toBe('high');
  });

  it('chooses the 8.1-9.1 table for a 79-column line and falls back to the generated time', () => {
    const e = parseOne('PALO_ALTO', vuln91);
    expect(field(e.ecs, 'panw.panos.format')).toBe('PAN-OS 8.1-9.1');
    expect(field(e.ecs, 'panw.panos.dynusergroup_name')).toBe('dug-admins');
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T01:20:00.000Z');
    expect(e).toMatchObject({ blocked: true, vendorSeverity: 'high' });
    expect(field(e.ecs, 'observer.name')).toBe('pa-dmz-02');
  });

  it('reads SYSTEM logs as events', () => {
    const e = parseOne('PALO_ALTO', system);
    expect(e).toMatchObject({ kind: 'event', vendorSeverity: 'informational' });
    expect(field(e.ecs, 'message')).toBe('User admin logged in via Web from 10.20.1.5 using https');
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T01:30:00.001Z');
  });

  it('reads a PAN-OS 8.0 TRAFFIC line (65 columns) with the 6.x-8.0 table: NAT, user, geo, duration', () => {
    expect(traffic80.split(',')).toHaveLength(65);
    const e = parseOne('PALO_ALTO', traffic80);
    expect(e).toMatchObject({ kind: 'event', blocked: false, ruleName: 'Branch-to-Internet', vendorEventId: '013101004321:5901234567', vendorSeverity: null });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T00:05:11.000Z'); // generated time, Tokyo
    expect(field(e.ecs, 'panw.panos.format')).toBe('PAN-OS 6.x-8.0');
    expect(field(e.ecs, 'panw.panos.session_end_reason')).toBe('aged-out');
    expect(field(e.ecs, 'source')).toEqual({
      address: '10.30.1.25',
      ip: '10.30.1.25',
      port: 53122,
      nat: { address: '198.51.100.30', ip: '198.51.100.30', port: 21455 },
      user: { name: 'suzuki', domain: 'corp' },
      bytes: 74,
      packets: 1,
    });
    expect(field(e.ecs, 'destination')).toMatchObject({ ip: '192.0.2.10', port: 53, bytes: 138, geo: { country_name: 'United States' } });
    expect(field(e.ecs, 'network')).toEqual({ transport: 'udp', application: 'dns', bytes: 212, packets: 2 });
    expect(field(e.ecs, 'event.duration')).toBe(30e9);
    expect(field(e.ecs, 'event.type')).toEqual(['connection', 'end']);
    expect(field(e.ecs, 'observer')).toMatchObject({ serial_number: '013101004321', name: 'pa-branch-03', ingress: { zone: 'Branch-LAN' } });
    expect(field(e.ecs, 'rule.uuid')).toBeUndefined(); // 8.1 added it
  });

  it('reads a PAN-OS 9.1 TRAFFIC deny (75 columns) with the 8.1-9.1 table: blocked, rule UUID', () => {
    expect(traffic91.split(',')).toHaveLength(75);
    const e = parseOne('PALO_ALTO', traffic91);
    expect(e).toMatchObject({ kind: 'event', blocked: true, ruleName: 'deny-inbound-smb', vendorEventId: '013201008888:1834002561' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T00:40:01.000Z');
    expect(field(e.ecs, 'panw.panos.format')).toBe('PAN-OS 8.1-9.1');
    expect(field(e.ecs, 'rule.uuid')).toBe('a3c1e5f0-7b2d-4c8e-9f10-2d3e4f5a6b7c');
    expect(field(e.ecs, 'event.type')).toEqual(['connection', 'denied']);
    expect(field(e.ecs, 'event.outcome')).toBe('failure');
    expect(field(e.ecs, 'source.ip')).toBe('203.0.113.145');
    expect(field(e.ecs, 'source.geo.country_name')).toBe('Germany');
    expect(field(e.ecs, 'destination')).toEqual({ address: '10.20.40.25', ip: '10.20.40.25', port: 445 }); // no bytes back, no geo for a private range
    expect(field(e.ecs, 'source.nat')).toBeUndefined(); // 0.0.0.0
    expect(field(e.ecs, 'panw.panos.repeatcnt')).toBe('2');
  });

  it('reads a PAN-OS 10.0 TRAFFIC line (105 columns) with the 10.0 table: high-resolution time, device-ID host and MAC', () => {
    expect(traffic100.split(',')).toHaveLength(105);
    const e = parseOne('PALO_ALTO', traffic100);
    expect(e).toMatchObject({ kind: 'event', blocked: false, ruleName: 'LAN-to-Internet', vendorEventId: '013201007777:6210044120000003300' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T00:50:30.250Z');
    expect(field(e.ecs, 'panw.panos.format')).toBe('PAN-OS 10.0');
    expect(field(e.ecs, 'panw.panos.src_osversion')).toBe('Windows 10');
    expect(field(e.ecs, 'panw.panos.session_owner')).toBe('pa-dc-01');
    expect(field(e.ecs, 'source.domain')).toBe('pc-acct-011');
    expect(field(e.ecs, 'source.mac')).toBe('00-50-56-AA-CC-11');
    expect(field(e.ecs, 'source.user')).toEqual({ name: 'kobayashi', domain: 'corp' });
    expect(field(e.ecs, 'destination.geo.country_name')).toBe('Japan');
    expect(field(e.ecs, 'network.application')).toBe('office365-enterprise-access');
    expect(field(e.ecs, 'event.duration')).toBe(138e9);
    expect(field(e.ecs, 'log.syslog.hostname')).toBe('pa-dc-01');
    expect(field(e.ecs, 'panw.panos.category_of_app')).toBeUndefined(); // 10.1 added it
  });

  it('reads a PAN-OS 10.0 THREAT virus line (111 columns) with the 10.0 table', () => {
    expect(splitCsv(threat100.replace(/^.* pa-dc-01 /, ''))).toHaveLength(111); // one URL category list is quoted: it holds a comma
    const e = parseOne('PALO_ALTO', threat100);
    expect(e).toMatchObject({
      kind: 'alert',
      blocked: true,
      vendorSeverity: 'medium',
      ruleName: 'Virus/Win32.WGeneric.dtkpqj',
      vendorEventId: '013201007777:6210044120000003301',
    });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T00:55:10.480Z');
    expect(field(e.ecs, 'panw.panos.format')).toBe('PAN-OS 10.0');
    expect(field(e.ecs, 'kanshi.severity')).toBe('medium');
    expect(field(e.ecs, 'rule.id')).toBe('412345678');
    expect(field(e.ecs, 'rule.category')).toBe('virus');
    expect(field(e.ecs, 'threat.software.name')).toBe('Virus/Win32.WGeneric.dtkpqj');
    expect(field(e.ecs, 'file.name')).toBe('invoice_2026.zip');
    expect(field(e.ecs, 'event.category')).toEqual(['malware', 'network']);
    expect(field(e.ecs, 'http.request.method')).toBe('GET');
    expect(field(e.ecs, 'host')).toEqual({ name: 'pc-sales-030', ip: ['10.20.30.95'] }); // the client that downloaded it
    expect(field(e.ecs, 'source.mac')).toBe('00-50-56-AA-BB-30');
    expect(field(e.ecs, 'panw.panos.url_category_list')).toBe('computer-and-internet-info,low-risk');
    expect(field(e.ecs, 'panw.panos.partial_hash')).toBe('0');
  });

  it('tolerates columns beyond each layout: the fields it defines keep their values', () => {
    // Columns are only ever appended, so extra ones are read as a newer release's (or dropped).
    const key = (line: string) => {
      const e = parseOne('PALO_ALTO', line);
      const ecs = (path: string) => field(e.ecs, path);
      return {
        record: [e.kind, e.vendorEventId, e.blocked, e.ruleName, e.vendorSeverity, e.occurredAt.toISOString()],
        ecs: ['source.ip', 'source.port', 'source.nat', 'destination.ip', 'destination.port', 'network', 'event.action', 'observer.name', 'rule.ruleset'].map(ecs),
      };
    };
    for (const line of [traffic80, traffic91, traffic100, threat100, vuln91]) {
      expect(key(`${line},,0,extra`)).toEqual(key(line));
      expect(key(`${line}${',x'.repeat(40)}`)).toEqual(key(line));
    }
    // Within a layout's own range the family stays the same.
    expect(field(parseOne('PALO_ALTO', `${traffic91},,0,extra`).ecs, 'panw.panos.format')).toBe('PAN-OS 8.1-9.1');
    expect(field(parseOne('PALO_ALTO', `${traffic80},,0,extra`).ecs, 'panw.panos.format')).toBe('PAN-OS 8.1-9.1');
  });

  it('tolerates extra trailing columns', () => {
    const e = parseOne('PALO_ALTO', `${sample},extra1,extra2`);
    expect(e.vendorEventId).toBe('016401002345:7320051230000000042');
  });

  it('reads the generated time in the device zone given by the context', () => {
    expect(parseOne('PALO_ALTO', sample, context('UTC')).occurredAt.toISOString()).toBe('2026-11-21T10:12:41.000Z');
  });

  it('rejects short or foreign lines with the column count', () => {
    const short = sample.split(',').slice(0, 12).join(',');
    expect(reasonFor('PALO_ALTO', short)).toBe('Palo Alto: THREAT line has 12 columns, expected at least 33');
    expect(reasonFor('PALO_ALTO', '<14>Nov 20 11:21:04 pa-hq-01 hello,world')).toBe(
      'Palo Alto: column 4 is "", expected a log type (THREAT, TRAFFIC, SYSTEM, CONFIG...)',
    );
    expect(reasonFor('PALO_ALTO', '1,2,3,BOGUS,5')).toMatch(/column 4 is "BOGUS"/);
  });
});
