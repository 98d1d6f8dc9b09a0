import { field, own, parseAll, parseOne, reasonFor } from './spec-helpers';

describe('CrowdStrike Falcon streaming events', () => {
  it('reads the DetectionSummaryEvent sample field by field', () => {
    const e = parseOne('CROWDSTRIKE_FALCON', own('crowdstrike-detection-summary.json'));
    expect(e).toMatchObject({
      kind: 'alert',
      vendorEventId: 'ldt:5d1e9a0c7b3f4e6a8c2d0b9f1e7a3c55:518230044710',
      groupKey: 'ldt:5d1e9a0c7b3f4e6a8c2d0b9f1e7a3c55:518230044710',
      blocked: false, // "Detection, standard detection."
      vendorSeverity: 'High',
      ruleName: 'Credential Theft',
    });
    expect(e.occurredAt.toISOString()).toBe('2026-11-21T01:52:37.000Z'); // metadata.eventCreationTime (ms)
    expect(field(e.ecs, 'event.severity')).toBe(73);
    expect(field(e.ecs, 'host')).toEqual({
      name: 'PC-RND-044',
      id: '5d1e9a0c7b3f4e6a8c2d0b9f1e7a3c55',
      domain: 'KANSAI',
      ip: ['10.60.16.44'],
      mac: ['00-15-5D-4E-2A-44'],
    });
    expect(field(e.ecs, 'user.name')).toBe('kimura');
    expect(field(e.ecs, 'process.name')).toBe('rundll32.exe');
    expect(field(e.ecs, 'process.executable')).toBe('\\Device\\HarddiskVolume2\\Windows\\System32\\rundll32.exe');
    expect(field(e.ecs, 'process.command_line')).toBe('rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 812 C:\\ProgramData\\d812.bin full');
    expect(field(e.ecs, 'process.hash')).toEqual({
      sha256: '06386ce1715d10f58970fab9236a1a5b338501ed94fccdc4efbbf3dedf2e911a',
      md5: '082609ecec396e5ef7ed83c3eb616326',
      sha1: '1c8ed095323f3a3d6bebf60ec67a848a076ae75d',
    });
    expect(field(e.ecs, 'process.parent.name')).toBe('cmd.exe');
    expect(field(e.ecs, 'file.hash.sha256')).toBe('06386ce1715d10f58970fab9236a1a5b338501ed94fccdc4efbbf3dedf2e911a');
    expect(field(e.ecs, 'threat')).toEqual({ framework: 'MITRE ATT&CK', tactic: { name: ['Credential Access'] }, technique: { name: ['OS Credential Dumping'] } });
    expect(field(e.ecs, 'rule.description')).toBe('A process opened the memory of LSASS through comsvcs.dll MiniDump, a way to read stored credentials.');
    expect(field(e.ecs, 'event.url')).toBe(
      'https://falcon.us-2.crowdstrike.com/activity/detections/detail/5d1e9a0c7b3f4e6a8c2d0b9f1e7a3c55/518230044710',
    );
  });

  it('reads the newer EPP alert shape: CompositeId, prevention flags -> blocked, Critical', () => {
    const e = parseOne('CROWDSTRIKE_FALCON', own('crowdstrike-epp-alert.json'));
    const composite = '8f2d4c1e0a9b4f6e9d3c2b1a0f9e8d7c:ind:1111222233334444555566667777aaaa:77012345-1';
    expect(e).toMatchObject({ kind: 'alert', vendorEventId: composite, groupKey: composite, blocked: true, vendorSeverity: 'Critical', ruleName: 'QakbotLoader' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T02:00:00.000Z');
    expect(field(e.ecs, 'event.severity')).toBe(99);
    expect(field(e.ecs, 'host.name')).toBe('PC-ENG-004');
    expect(field(e.ecs, 'host.id')).toBe('1111222233334444555566667777aaaa');
    expect(field(e.ecs, 'user')).toEqual({ name: 'yamamoto', domain: 'CORP' });
    expect(field(e.ecs, 'threat.technique.id')).toEqual(['T1218.011']);
    expect(field(e.ecs, 'process.parent.command_line')).toBe('"EXCEL.EXE" C:\\Users\\yamamoto\\Downloads\\見積書.xlsm');
  });

  it('reads other event types as events (AuthActivityAuditEvent)', () => {
    const e = parseOne('CROWDSTRIKE_FALCON', own('crowdstrike-auth-audit.json'));
    expect(e).toMatchObject({
      kind: 'event',
      blocked: null,
      groupKey: null,
      ruleName: 'twoFactorAuthenticate',
      vendorEventId: '8f2d4c1e0a9b4f6e9d3c2b1a0f9e8d7c:AuthActivityAuditEvent:121001',
    });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T02:04:59.000Z'); // UTCTimestamp, seconds
    expect(field(e.ecs, 'event.category')).toEqual(['authentication']);
    expect(field(e.ecs, 'event.outcome')).toBe('failure');
    expect(field(e.ecs, 'source.ip')).toBe('203.0.113.10');
    expect(field(e.ecs, 'user.name')).toBe('soc-analyst@example-customer.jp');
    expect(field(e.ecs, 'kanshi.severity')).toBe('info');
  });

  it('maps Severity 1-5 without a name and reads "would have been" as not prevented', () => {
    const base = { metadata: { eventType: 'DetectionSummaryEvent', eventCreationTime: 1795140000000 }, event: { DetectId: 'ldt:x:1' } };
    const severities = [1, 2, 3, 4, 5].map((Severity) =>
      field(parseOne('CROWDSTRIKE_FALCON', JSON.stringify({ ...base, event: { ...base.event, Severity } })).ecs, 'event.severity'),
    );
    expect(severities).toEqual([0, 21, 47, 73, 99]);
    const would = parseOne(
      'CROWDSTRIKE_FALCON',
      JSON.stringify({ ...base, event: { ...base.event, PatternDispositionDescription: 'Detection, process would have been killed if related prevention policy setting was enabled.' } }),
    );
    expect(would.blocked).toBe(false);
  });

  it('reads a JSON array of stream events as several events', () => {
    const text = `[${own('crowdstrike-detection-summary.json')},${own('crowdstrike-auth-audit.json')}]`;
    expect(parseAll('CROWDSTRIKE_FALCON', text).map((e) => e.kind)).toEqual(['alert', 'event']);
  });

  it('rejects records that are not Falcon events', () => {
    expect(reasonFor('CROWDSTRIKE_FALCON', '{"metadata":{"eventType":"X"}}')).toBe('CrowdStrike Falcon: missing "event" object');
    expect(reasonFor('CROWDSTRIKE_FALCON', '{"event":{"ComputerName":"a"}}')).toBe('CrowdStrike Falcon: missing metadata.eventType');
    expect(reasonFor('CROWDSTRIKE_FALCON', '[1]')).toBe('CrowdStrike Falcon: expected a JSON object, got number');
    expect(reasonFor('CROWDSTRIKE_FALCON', '{"metadata":')).toBe('CrowdStrike Falcon: invalid JSON: Unexpected end of JSON input at position 12');
  });
});
