import { field, own, parseAll, parseOne, reasonFor } from './spec-helpers';

describe('Carbon Black Cloud alerts (v7)', () => {
  it('reads the CB_ANALYTICS sample field by field', () => {
    const e = parseOne('CARBON_BLACK', own('carbonblack-alert-v7.json'));
    expect(e).toMatchObject({
      kind: 'alert',
      vendorEventId: '5e7a2c90-3b14-4f6d-8e21-9a0b7c6d5e43',
      groupKey: '7F3E9A1C5B2D4E6F8A0B1C3D5E7F9A2B',
      blocked: true, // TERMINATE
      vendorSeverity: '8',
      ruleName: 'A known virus (Ransom: Akira) was detected running.',
    });
    expect(e.occurredAt.toISOString()).toBe('2026-11-21T02:09:40.318Z');
    expect(field(e.ecs, 'event.severity')).toBe(73);
    expect(field(e.ecs, 'host')).toEqual({ name: 'PC-HR-031', domain: 'KANSAI', id: '8841207', ip: ['10.60.17.31'], os: { type: 'windows', full: 'Windows 10 x64' } });
    expect(field(e.ecs, 'user')).toEqual({ name: 'mori', domain: 'KANSAI' });
    expect(field(e.ecs, 'process')).toMatchObject({
      name: 'backup_svc.exe',
      executable: 'c:\\programdata\\vsc\\backup_svc.exe',
      command_line: 'backup_svc.exe --quiet --all',
      pid: 8692,
      hash: { sha256: '1c48f9a449abb7b0199b221d5e529e8270a71a4337b74056e16ebd358f7da7f4', md5: 'd4f9b73f98feb405ffb7591cf5f0a5da' },
      parent: { name: 'cmd.exe' },
    });
    expect(field(e.ecs, 'threat.technique')).toEqual({ id: ['T1490'], name: ['Inhibit System Recovery'] });
    expect(field(e.ecs, 'threat.tactic.id')).toEqual(['TA0040']);
    expect(field(e.ecs, 'threat.software.name')).toBe('Ransom: Akira');
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
    const events = parseAll('CARBON_BLACK', `{"results":[${v6},${own('carbonblack-alert-v7.json')}],"num_found":2}`);
    expect(events).toHaveLength(2);
  });

  it('rejects an alert without id', () => {
    expect(reasonFor('CARBON_BLACK', '{"type":"CB_ANALYTICS"}')).toBe('Carbon Black: alert has no "id"');
  });
});
