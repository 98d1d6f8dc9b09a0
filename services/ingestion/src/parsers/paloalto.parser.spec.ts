import { splitCsv } from './paloalto.parser';
import { context, field, lines, own, parseOne, reasonFor, shared } from './spec-helpers';

const sample = lines(shared('paloalto-threat.log'))[0];
const [traffic, deny, spyware, urlBenign, wildfire, vuln91, system] = lines(own('paloalto-panos10.log'));

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
      vendorEventId: '013201009999:7210044120000000001',
      groupKey: null,
      blocked: true,
      vendorSeverity: 'critical',
      ruleName: 'Microsoft Windows RPC Remote Code Execution Vulnerability',
    });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T02:21:02.000Z'); // generated time, Tokyo
    expect(field(e.ecs, 'event.severity')).toBe(99);
    expect(field(e.ecs, 'rule.id')).toBe('91234');
    expect(field(e.ecs, 'rule.ruleset')).toBe('LAN-to-DMZ');
    expect(field(e.ecs, 'source')).toMatchObject({ ip: '10.20.30.61', port: 50233, user: { name: 'tanaka', domain: 'corp' } });
    expect(field(e.ecs, 'destination')).toMatchObject({ ip: '10.20.40.10', port: 135 });
    expect(field(e.ecs, 'source.nat')).toBeUndefined(); // 0.0.0.0 means no NAT
    expect(field(e.ecs, 'network.application')).toBe('msrpc');
    expect(field(e.ecs, 'event.action')).toBe('reset-both');
    expect(field(e.ecs, 'host.ip')).toEqual(['10.20.40.10']); // client-to-server exploit: the server is hit
    expect(field(e.ecs, 'observer')).toMatchObject({ serial_number: '013201009999', name: 'pa-hq-01', hostname: 'pa-hq-01' });
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

  it('tolerates extra trailing columns', () => {
    const e = parseOne('PALO_ALTO', `${sample},extra1,extra2`);
    expect(e.vendorEventId).toBe('013201009999:7210044120000000001');
  });

  it('reads the generated time in the device zone given by the context', () => {
    expect(parseOne('PALO_ALTO', sample, context('UTC')).occurredAt.toISOString()).toBe('2026-11-20T11:21:02.000Z');
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
