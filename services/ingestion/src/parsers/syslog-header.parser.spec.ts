import { parseSyslogHeader } from './syslog-header.parser';
import { context } from './spec-helpers';

const ctx = context('Asia/Tokyo', '2026-11-20T03:00:00Z');

describe('parseSyslogHeader', () => {
  it('reads an RFC 3164 header with host and tag', () => {
    const { header, message } = parseSyslogHeader('<54>Nov 20 11:40:12 SEPM01 SymantecServer: Virus found,IP Address: 10.20.30.41', ctx);
    expect(header).toMatchObject({ format: 'rfc3164', priority: 54, facility: 6, severity: 6, hostname: 'SEPM01', appName: 'SymantecServer' });
    expect(header.timestamp?.toISOString()).toBe('2026-11-20T02:40:12.000Z');
    expect(message).toBe('Virus found,IP Address: 10.20.30.41');
  });

  it('keeps a CSV payload whose first column looks nothing like a tag (Palo Alto)', () => {
    const { header, message } = parseSyslogHeader('<14>Nov 20 11:21:04 pa-hq-01 1,2026/11/20 11:21:04,013201009999,THREAT', ctx);
    expect(header.hostname).toBe('pa-hq-01');
    expect(header.appName).toBeUndefined();
    expect(message).toBe('1,2026/11/20 11:21:04,013201009999,THREAT');
  });

  it('does not take "CEF:0|" for a tag', () => {
    const { header, message } = parseSyslogHeader('<132>Nov  2 11:45:02 apexcentral CEF:0|Trend Micro|Apex Central|2019|AV|x|3|', ctx);
    expect(header.hostname).toBe('apexcentral');
    expect(header.timestamp?.toISOString()).toBe('2026-11-02T02:45:02.000Z');
    expect(message.startsWith('CEF:0|Trend Micro')).toBe(true);
  });

  it('accepts a PRI with no timestamp (FortiGate)', () => {
    const { header, message } = parseSyslogHeader('<185>date=2026-11-20 time=11:02:33 devname="FGT-HQ-01"', ctx);
    expect(header).toMatchObject({ format: 'rfc3164', priority: 185, facility: 23, severity: 1 });
    expect(header.hostname).toBeUndefined();
    expect(message).toBe('date=2026-11-20 time=11:02:33 devname="FGT-HQ-01"');
  });

  it('reads RFC 5424 with structured data and a BOM before the message', () => {
    const line = '<165>1 2026-11-20T12:20:00.250+09:00 ids01.corp.example ids 4321 ALERT [origin ip="10.0.0.9"][meta seq="4\\"2\\]"] \uFEFFhello world';
    const { header, message } = parseSyslogHeader(line, ctx);
    expect(header).toMatchObject({
      format: 'rfc5424',
      version: 1,
      priority: 165,
      hostname: 'ids01.corp.example',
      appName: 'ids',
      procId: '4321',
      msgId: 'ALERT',
      structuredData: { origin: { ip: '10.0.0.9' }, meta: { seq: '4"2]' } },
    });
    expect(header.timestamp?.toISOString()).toBe('2026-11-20T03:20:00.250Z');
    expect(message).toBe('hello world');
  });

  it('reads RFC 5424 nil values', () => {
    const { header, message } = parseSyslogHeader('<14>1 - - - - - - 1,2026/11/20 10:15:00,x', ctx);
    expect(header.format).toBe('rfc5424');
    expect(header.timestamp).toBeUndefined();
    expect(header.hostname).toBeUndefined();
    expect(message).toBe('1,2026/11/20 10:15:00,x');
  });

  it('strips RFC 6587 octet counting when the count matches', () => {
    const body = '<14>Nov 20 11:21:04 host msg';
    expect(parseSyslogHeader(`${Buffer.byteLength(body)} ${body}`, ctx).message).toBe('msg');
  });

  it('leaves a line without header alone, and an out-of-range PRI too', () => {
    expect(parseSyslogHeader('{"a":1}', ctx)).toEqual({ header: { format: 'none' }, message: '{"a":1}' });
    expect(parseSyslogHeader('<999>x', ctx)).toEqual({ header: { format: 'none' }, message: '<999>x' });
  });

  it('reads a BSD stamp without PRI (relayed files)', () => {
    const { header, message } = parseSyslogHeader('Nov 20 11:21:04 pa-hq-01 1,2026/11/20', ctx);
    expect(header.format).toBe('rfc3164');
    expect(header.hostname).toBe('pa-hq-01');
    expect(message).toBe('1,2026/11/20');
  });
});
