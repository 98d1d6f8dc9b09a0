import { field, own, parseAll, parseOne, reasonFor, shared } from './spec-helpers';

describe('Cybereason Malop', () => {
  it('reads the Malop sample field by field', () => {
    const e = parseOne('CYBEREASON', shared('cybereason-malop.json'));
    expect(e).toMatchObject({
      kind: 'alert',
      vendorEventId: '11.4820019938120448873',
      groupKey: '11.4820019938120448873',
      blocked: false, // Detected only
      vendorSeverity: 'High',
      ruleName: 'Malicious use of PowerShell',
    });
    expect(e.occurredAt.toISOString()).toBe('2025-11-20T02:41:52.000Z');
    expect(field(e.ecs, 'event.severity')).toBe(73);
    expect(field(e.ecs, 'host')).toEqual({ name: 'pc-hr-008', id: '-1845021190.1198775089551518743', os: { type: 'windows' }, hostname: 'pc-hr-008.corp.example' });
    expect(field(e.ecs, 'user')).toEqual({ name: 'yamada', domain: 'corp' });
    expect(field(e.ecs, 'file.name')).toBe('invoice.docm');
    expect(field(e.ecs, 'rule.id')).toBe('MALICIOUS_POWERSHELL');
    expect(field(e.ecs, 'cybereason.malop.machines')).toEqual([
      { guid: '-1845021190.1198775089551518743', displayName: 'pc-hr-008', osType: 'WINDOWS', connected: true, isolated: false },
    ]);
  });

  it('reads a prevented NGAV Malop on two machines: priority as severity, ISO creation time', () => {
    const e = parseOne('CYBEREASON', own('cybereason-malop-prevented.json'));
    expect(e).toMatchObject({ blocked: true, vendorSeverity: 'MEDIUM', ruleName: 'Ransomware' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T03:15:00.000Z');
    expect(field(e.ecs, 'event.severity')).toBe(47);
    expect(field(e.ecs, 'related.hosts')).toEqual(['srv-file-01', 'pc-fin-002']);
    expect(field(e.ecs, 'process.name')).toBe('svch0st.exe');
    expect(field(e.ecs, 'observer.product')).toBe('Cybereason NGAV');
  });

  it('reads an inbox response with several Malops', () => {
    const text = `{"malops":[${shared('cybereason-malop.json')},${own('cybereason-malop-prevented.json')}]}`;
    expect(parseAll('CYBEREASON', text).map((e) => e.groupKey)).toEqual(['11.4820019938120448873', '11.9023485561203948576']);
  });

  it('rejects a Malop without guid', () => {
    expect(reasonFor('CYBEREASON', '{"displayName":"x"}')).toBe('Cybereason: Malop has no "guid"');
  });
});
