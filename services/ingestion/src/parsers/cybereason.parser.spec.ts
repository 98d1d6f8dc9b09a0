import { field, own, parseAll, parseOne, reasonFor } from './spec-helpers';

describe('Cybereason Malop', () => {
  it('reads the Malop sample field by field', () => {
    const e = parseOne('CYBEREASON', own('cybereason-malop.json'));
    expect(e).toMatchObject({
      kind: 'alert',
      vendorEventId: '11.7361029845120937461',
      groupKey: '11.7361029845120937461',
      blocked: false, // Detected only
      vendorSeverity: 'High',
      ruleName: 'Malicious script execution',
    });
    expect(e.occurredAt.toISOString()).toBe('2026-11-21T02:06:14.000Z');
    expect(field(e.ecs, 'event.severity')).toBe(73);
    expect(field(e.ecs, 'host')).toEqual({ name: 'pc-ops-019', id: '-902341577.4410938271650392210', os: { type: 'windows' }, hostname: 'pc-ops-019.kansai.example' });
    expect(field(e.ecs, 'user')).toEqual({ name: 'kimura', domain: 'kansai' });
    expect(field(e.ecs, 'file.name')).toBe('payroll_2026.js');
    expect(field(e.ecs, 'rule.id')).toBe('MALICIOUS_SCRIPT');
    expect(field(e.ecs, 'cybereason.malop.machines')).toEqual([
      { guid: '-902341577.4410938271650392210', displayName: 'pc-ops-019', osType: 'WINDOWS', connected: true, isolated: false },
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
    const text = `{"malops":[${own('cybereason-malop.json')},${own('cybereason-malop-prevented.json')}]}`;
    expect(parseAll('CYBEREASON', text).map((e) => e.groupKey)).toEqual(['11.7361029845120937461', '11.9023485561203948576']);
  });

  it('rejects a Malop without guid', () => {
    expect(reasonFor('CYBEREASON', '{"displayName":"x"}')).toBe('Cybereason: Malop has no "guid"');
  });
});
