import { cefSeverity, parseCef, parseCefExtensions } from './cef.parser';
import { field, lines, own, parseOne, reasonFor } from './spec-helpers';

describe('CEF syntax', () => {
  it('unescapes \\| and \\\\ in the header', () => {
    const r = parseCef('CEF:0|Example\\|Labs|Net\\\\IDS|1|100|Name with | pipe?|5|a=b');
    // An unescaped pipe inside Name ends the field: the remaining text shifts, as the spec implies.
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record.deviceVendor).toBe('Example|Labs');
    expect(r.record.deviceProduct).toBe('Net\\IDS');
  });

  it('reads extension values with spaces, \\= \\\\ \\n escapes and a trailing backslash', () => {
    const ext = parseCefExtensions('msg=two words a\\=b end=x path=C:\\\\dir\\\\ next=1 multi=line1\\nline2 odd=C:\\data');
    expect(Object.fromEntries(ext)).toEqual({
      msg: 'two words a=b',
      end: 'x',
      path: 'C:\\dir\\',
      next: '1',
      multi: 'line1\nline2',
      odd: 'C:\\data', // not a CEF escape: kept as written
    });
  });

  it('maps numeric and word severities', () => {
    expect(['0', '1', '3', '4', '6', '7', '8', '9', '10', '7.5', '11'].map(cefSeverity)).toEqual([
      'info', 'low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical', 'high', null,
    ]);
    expect(['Low', 'Medium', 'High', 'Very-High', 'very high', 'Informative', 'Unknown', ''].map(cefSeverity)).toEqual([
      'low', 'medium', 'high', 'critical', 'critical', 'info', null, null,
    ]);
  });

  it('reports a short header precisely', () => {
    expect(reasonFor('GENERIC_CEF', 'CEF:0|Acme|Widget|1.0|100')).toBe(
      'CEF: header has 5 fields, expected 8 (CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension)',
    );
    expect(reasonFor('GENERIC_CEF', 'CEF:1a|a|b|c|d|e|f|')).toBe('CEF: bad version field "CEF:1a"');
    expect(reasonFor('GENERIC_CEF', 'CEF:x|a|b|c|d|e|f|')).toBe('CEF: record does not start with "CEF:<version>|" (got "CEF:x|a|b|c|d|e|f|")');
    expect(reasonFor('GENERIC_CEF', 'hello')).toBe('CEF: record does not start with "CEF:<version>|" (got "hello")');
  });
});

describe('Trend Micro CEF', () => {
  it('reads the Apex Central sample: rt with GMT offset, endpoint host, quarantined, 3 -> low', () => {
    const e = parseOne('TREND_MICRO', lines(own('trendmicro-cef.log'))[0]);
    expect(e).toMatchObject({ kind: 'alert', blocked: true, vendorSeverity: '3', ruleName: 'TROJ_FRS.VSNTKB26', vendorEventId: null });
    expect(e.occurredAt.toISOString()).toBe('2026-11-21T01:41:07.000Z');
    expect(field(e.ecs, 'event.severity')).toBe(21);
    expect(field(e.ecs, 'host')).toEqual({ name: 'PC-OPS-019', ip: ['10.60.15.19'] });
    expect(field(e.ecs, 'user.name')).toBe('kimura');
    expect(field(e.ecs, 'file.name')).toBe('driver_pack.exe');
    expect(field(e.ecs, 'file.path')).toBe('C:\\Users\\kimura\\Desktop\\driver_pack.exe');
    expect(field(e.ecs, 'file.hash.sha256')).toBe('b95d76a9492c4d739fc30896006d134b5ae44aa5945356f9cc4f6a0f9bcc3ad2');
    expect(field(e.ecs, 'threat.software.name')).toBe('TROJ_FRS.VSNTKB26');
    expect(field(e.ecs, 'rule.id')).toBe('AV:File quarantined');
    expect(field(e.ecs, 'observer.hostname')).toBe('apex-mgr02'); // the syslog sender, not the endpoint
    expect(field(e.ecs, 'cef.custom.VLF_FirstActionResult')).toBe('File quarantined');
    expect(field(e.ecs, 'event.category')).toContain('malware');
  });

  it('reads Deep Security CEF: IPS reset is blocked, 10 -> critical, epoch rt; manager sign-ins are events', () => {
    const [dsIps, signIn] = lines(own('trendmicro-deepsecurity-cef.log'));
    const e = parseOne('TREND_MICRO', dsIps);
    expect(e).toMatchObject({ kind: 'alert', blocked: true, vendorSeverity: '10', ruleName: 'Generic Cross Site Scripting(XSS) Prevention' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T03:04:59.000Z');
    expect(field(e.ecs, 'kanshi.severity')).toBe('critical');
    expect(field(e.ecs, 'host.name')).toBe('web-01');
    expect(field(e.ecs, 'source')).toMatchObject({ ip: '198.51.100.30', port: 52000 });
    const s = parseOne('TREND_MICRO', signIn);
    expect(s.kind).toBe('event');
    expect(field(s.ecs, 'event.category')).toContain('authentication');
  });
});

describe('Imperva SecureSphere CEF', () => {
  const [violation, system] = lines(own('imperva-securesphere-cef.log'));

  it('reads a WAF violation: Block, High, labelled custom fields, alert id, local rt', () => {
    const e = parseOne('IMPERVA_SECURESPHERE', violation);
    expect(e).toMatchObject({ kind: 'alert', blocked: true, vendorSeverity: 'High', ruleName: 'SQL Injection detected', vendorEventId: '10245' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T03:09:58.000Z');
    expect(field(e.ecs, 'event.severity')).toBe(73);
    expect(field(e.ecs, 'host.ip')).toEqual(['10.20.50.20']); // the protected server
    expect(field(e.ecs, 'source')).toMatchObject({ ip: '203.0.113.15', port: 50123 });
    expect(field(e.ecs, 'cef.custom')).toMatchObject({ Policy: 'Web Application Security Policy', ServerGroup: 'ShopServers' });
    expect(field(e.ecs, 'cef.custom.Description')).toBe('Signature violation on /cart.php?id=1 UNION SELECT');
  });

  it('reads an Informative system event as an event, act=None as not blocked', () => {
    const e = parseOne('IMPERVA_SECURESPHERE', system);
    expect(e).toMatchObject({ kind: 'event', blocked: false, vendorSeverity: 'Informative' });
    expect(field(e.ecs, 'event.severity')).toBe(0);
  });

  it('explains what it needs when given something else', () => {
    expect(reasonFor('IMPERVA_SECURESPHERE', 'Alert 123 on server')).toMatch(/^Imperva SecureSphere: expected CEF or LEEF/);
  });
});

describe('generic CEF', () => {
  const [ids, heartbeat, bare] = lines(own('generic-cef.log'));

  it('reads CEF behind an RFC 5424 header with escapes and a word severity', () => {
    const e = parseOne('GENERIC_CEF', ids);
    expect(e).toMatchObject({ kind: 'alert', blocked: false, vendorSeverity: 'Very-High', ruleName: 'Possible C2 beacon', vendorEventId: 'ids-000123' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T03:19:59.000Z');
    expect(field(e.ecs, 'event.severity')).toBe(99);
    expect(field(e.ecs, 'observer.vendor')).toBe('Example|Labs');
    expect(field(e.ecs, 'message')).toBe('Beacon with path \\api\\v1 and query a=b\nsecond line');
    expect(field(e.ecs, 'user')).toEqual({ name: 'nakamura', domain: 'CORP' });
    expect(field(e.ecs, 'url.full')).toBe('https://203.0.113.200:8443/api/v1?a=b');
    expect(field(e.ecs, 'file.hash.md5')).toBe('44d88612fea8a8f36de82e1278abb02f');
    expect(field(e.ecs, 'network.direction')).toBe('outbound');
    expect(field(e.ecs, 'log.syslog.structured_data.meta.sequenceId')).toBe('42');
  });

  it('reads severity 0 as an informational event and a record without extensions', () => {
    const h = parseOne('GENERIC_CEF', heartbeat);
    expect(h).toMatchObject({ kind: 'event', blocked: null });
    expect(h.occurredAt.toISOString()).toBe('2026-11-20T03:21:00.000Z');
    const b = parseOne('GENERIC_CEF', bare);
    expect(b).toMatchObject({ kind: 'alert', vendorSeverity: 'Medium', ruleName: 'Policy changed' });
    expect(b.occurredAt.toISOString()).toBe('2026-11-20T03:00:00.000Z'); // no time anywhere: receivedAt
  });
});
