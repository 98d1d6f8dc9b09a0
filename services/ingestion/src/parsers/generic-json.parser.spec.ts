import { field, lines, own, parseOne, reasonFor } from './spec-helpers';

const [diskWarning, suricata, custom] = lines(own('generic.ndjson'));

describe('generic JSON', () => {
  it('reads @timestamp, message and a word severity; an event by default', () => {
    const e = parseOne('GENERIC_JSON', diskWarning);
    expect(e).toMatchObject({ kind: 'event', vendorSeverity: 'warning', vendorEventId: null, blocked: null });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T03:40:00.000Z');
    expect(field(e.ecs, 'message')).toBe('disk usage 91%');
    expect(field(e.ecs, 'host.name')).toBe('nas-01');
    expect(field(e.ecs, 'event.severity')).toBe(47);
    expect(field(e.ecs, 'observer')).toBeUndefined();
  });

  it('reads a Suricata EVE alert: epoch timestamp, alert severity 1 -> high, blocked', () => {
    const e = parseOne('GENERIC_JSON', suricata);
    expect(e).toMatchObject({ kind: 'alert', blocked: true, vendorSeverity: '1', ruleName: 'ET MALWARE Emotet CnC Beacon' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T03:21:00.000Z');
    expect(field(e.ecs, 'event.severity')).toBe(73);
    expect(field(e.ecs, 'source')).toMatchObject({ ip: '10.20.30.41', port: 51000 });
    expect(field(e.ecs, 'destination')).toMatchObject({ ip: '203.0.113.77', port: 443 });
    expect(field(e.ecs, 'network.transport')).toBe('tcp');
  });

  it('reads a local "time" in the device zone, a numeric severity and an id', () => {
    const e = parseOne('GENERIC_JSON', custom);
    expect(e).toMatchObject({ kind: 'alert', vendorEventId: 'evt-778', vendorSeverity: '8', ruleName: 'Too many failed logins' });
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T03:42:00.000Z');
    expect(field(e.ecs, 'kanshi.severity')).toBe('high');
    expect(field(e.ecs, 'user')).toEqual({ name: 'admin', domain: 'CORP' });
  });

  it('reports JSON errors with their position', () => {
    expect(reasonFor('GENERIC_JSON', '{"message":"abc","severity":')).toBe('JSON: Unexpected end of JSON input at position 28');
    expect(reasonFor('GENERIC_JSON', '{"a":1}}')).toBe("JSON: Unexpected token '}' after the JSON value at position 7");
    expect(reasonFor('GENERIC_JSON', "{'a':1}")).toBe("JSON: Expected property name or '}' but found token ''' at position 1");
    expect(reasonFor('GENERIC_JSON', '"just a string"')).toBe('JSON: expected a JSON object, found text starting with ""just a stri"');
    expect(reasonFor('GENERIC_JSON', '<14>Nov 20 11:21:04 host hello')).toBe('JSON: expected a JSON object, found text starting with "hello"');
  });
});

describe('generic JSON over syslog', () => {
  it('strips an RFC 5424 header before the JSON payload', () => {
    const e = parseOne('GENERIC_JSON', '<14>1 2026-11-20T12:50:00+09:00 app01 myapp - - - {"message":"started","level":"info"}');
    expect(e.occurredAt.toISOString()).toBe('2026-11-20T03:50:00.000Z'); // header time, no time in the JSON
    expect(field(e.ecs, 'message')).toBe('started');
    expect(field(e.ecs, 'kanshi.severity')).toBe('info');
    expect(field(e.ecs, 'observer.hostname')).toBe('app01');
  });
});
