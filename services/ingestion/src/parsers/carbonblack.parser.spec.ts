import { field, own, parseAll, parseOne, reasonFor, shared } from './spec-helpers';

describe('Carbon Black Cloud alerts (v7)', () => {
  it('reads the CB_ANALYTICS sample field by field', () => {
    const e = parseOne('CARBON_BLACK', shared('carbonblack-alert-v7.json'));
    expect(e).toMatchObject({
      kind: 'alert',
      vendorEventId: '9b3f1c2a-7e55-4d0b-a1aa-0c3f5e8d1122',
      groupKey: 'C1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6',
      blocked: true, // TERMINATE
      vendorSeverity: '8',
      ruleName: 'A known virus (Ransom: Lockbit) was detected running.',
    });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T03:11:58.061Z');
    expect(field(e.ecs, 'event.severity')).toBe(73);
    expect(field(e.ecs, 'host')).toEqual({ name: 'PC-FIN-002', domain: 'CORP', id: '6120448', ip: ['10.20.33.2'], os: { type: 'windows', full: 'Windows 11 x64' } });
    expect(field(e.ecs, 'user')).toEqual({ name: 'ito', domain: 'CORP' });
    expect(field(e.ecs, 'process')).toMatchObject({
      name: 'svc_upd.exe',
      executable: 'c:\\users\\ito\\appdata\\local\\temp\\svc_upd.exe',
      command_line: 'svc_upd.exe -silent',
      pid: 6700,
      hash: { sha256: '0b3f0e1d2c4a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344', md5: '0b3f0e1d2c4a5b6c7d8e9f0011223344' },
      parent: { name: 'explorer.exe' },
    });
    expect(field(e.ecs, 'threat.technique')).toEqual({ id: ['T1486'], name: ['Data Encrypted For Impact'] });
    expect(field(e.ecs, 'threat.tactic.id')).toEqual(['TA0040']);
    expect(field(e.ecs, 'threat.software.name')).toBe('Ransom: Lockbit');
    expect(field(e.ecs, 'rule.id')).toBe('R_KNOWN_MALWARE');
  });

  it('reads a WATCHLIST alert: report name as rule, ALLOW not blocked, 3 -> low', () => {
    const e = parseOne('CARBON_BLACK', own('carbonblack-watchlist-v7.json'));
    expect(e).toMatchObject({ blocked: false, ruleName: 'Encoded PowerShell', vendorSeverity: '3', groupKey: 'E4F5A6B7C8D9E0F1A2B3C4D5E6F7A8B9' });
    expect(field(e.ecs, 'kanshi.severity')).toBe('low');
    expect(field(e.ecs, 'threat.technique.id')).toEqual(['T1059.001']);
    expect(field(e.ecs, 'user.name')).toBe('sato@corp.example');
  });

  it('reads v6 names, a search response, and DID_NOT_RUN as prevented', () => {
    const v6 = '{"id":"abc","legacy_alert_id":"L1","type":"CB_ANALYTICS","create_time":"2026-11-20T01:00:00Z","severity":10,"threat_cause_actor_name":"bad.exe","threat_cause_actor_sha256":"0b3f0e1d2c4a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344","run_state":"DID_NOT_RUN","device_name":"pc-01","threat_id":"T1"}';
    const e = parseOne('CARBON_BLACK', v6);
    expect(e).toMatchObject({ blocked: true, groupKey: 'T1' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T01:00:00.000Z');
    expect(field(e.ecs, 'kanshi.severity')).toBe('critical');
    expect(field(e.ecs, 'process.name')).toBe('bad.exe');
    const events = parseAll('CARBON_BLACK', `{"results":[${v6},${shared('carbonblack-alert-v7.json')}],"num_found":2}`);
    expect(events).toHaveLength(2);
  });

  it('rejects an alert without id', () => {
    expect(reasonFor('CARBON_BLACK', '{"type":"CB_ANALYTICS"}')).toBe('Carbon Black: alert has no "id"');
  });
});
