import { MAX_DOCUMENT_BYTES, MAX_RECORD_BYTES, parseRecord } from './parse';
import { context, field, lines, own, parseOne, reasonFor } from './spec-helpers';
import { SENSOR_PRODUCTS } from './types';

describe('parseRecord', () => {
  const ctx = context();

  it('caps a log line at 64 KiB, counted in UTF-8 bytes', () => {
    const line = (n: number, ch = 'x') => `date=2026-11-20 time=10:10:00 logid="0000000013" type="traffic" msg="${ch.repeat(n)}"`;
    expect(parseRecord('FORTIGATE', line(MAX_RECORD_BYTES), ctx)).toEqual({ ok: false, reason: 'record exceeds 65536 bytes' });
    // 22,000 three-byte characters: 66,000 bytes although only 22,000 UTF-16 units.
    expect(parseRecord('FORTIGATE', line(22000, '検'), ctx)).toEqual({ ok: false, reason: 'record exceeds 65536 bytes' });
    expect(parseRecord('FORTIGATE', line(60000), ctx).ok).toBe(true);
  });

  it('takes a JSON document of an alert product up to 512 KiB (a FireEye notification with OS-change details)', () => {
    const fireeye = JSON.parse(own('fireeye-nx-extended.json'));
    const [alert] = fireeye.alert;
    const big = JSON.stringify({ ...fireeye, alert: [{ ...alert, explanation: { ...alert.explanation, 'os-changes': [{ details: 'x'.repeat(300_000) }] } }] });
    expect(big.length).toBeGreaterThan(300_000);
    const out = parseRecord('FIREEYE_NX', big, ctx);
    expect(out.ok && out.events.map((e) => [e.vendorEventId, e.kind])).toEqual([['52716', 'alert']]);
    expect(parseRecord('GENERIC_JSON', `{"message":"${'x'.repeat(MAX_DOCUMENT_BYTES)}"}`, ctx)).toEqual({ ok: false, reason: `record exceeds ${MAX_DOCUMENT_BYTES} bytes` });
    expect(parseRecord('GENERIC_JSON', `{"m":"${'検'.repeat(180_000)}"}`, ctx)).toEqual({ ok: false, reason: `record exceeds ${MAX_DOCUMENT_BYTES} bytes` });
  });

  it('quarantines binary data and empty records with a reason', () => {
    expect(reasonFor('FORTIGATE', 'logid=1\u0000\u0001')).toBe('record contains binary data (NUL byte at position 7)');
    expect(reasonFor('PALO_ALTO', '\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008abcdefghij')).toMatch(/^record looks like binary data/);
    expect(reasonFor('GENERIC_CEF', ' \r\n')).toBe('empty record');
    expect(reasonFor('SYMANTEC_SEP', '<54>Nov 20 11:40:12 SEPM01 SymantecServer: ')).toBe('Symantec SEP: syslog header without a message');
  });

  // How long they take is measured where time belongs: parse-scaling.spec.ts (a ratio within one
  // run) and `npm run bench -- parse`; here, that each gets an answer and none an internal error.
  it('answers pathological 64 KiB records without an internal error', () => {
    const records: Array<[(typeof SENSOR_PRODUCTS)[number], string]> = [
      ['GENERIC_JSON', `${'['.repeat(32000)}${']'.repeat(32000)}`],
      ['CROWDSTRIKE_FALCON', `${'{"a":'.repeat(13000)}1${'}'.repeat(13000)}`],
      ['GENERIC_CEF', `CEF:0|a|b|c|d|e|5|${'k=v '.repeat(16000)}`],
      ['GENERIC_CEF', `CEF:0|a|b|c|d|e|5|msg=${'\\'.repeat(30000)}`],
      ['FORTIGATE', `logid=1 ${'k="v" '.repeat(10000)}`],
      ['FORTIGATE', `logid="${'a'.repeat(65000)}`],
      ['PALO_ALTO', ','.repeat(65000)],
      ['PALO_ALTO', `1,2,3,THREAT,${'"",'.repeat(16000)}`],
      ['SYMANTEC_SEP', `Virus found${',Key: value'.repeat(5000)}`],
      ['TREND_MICRO', `LEEF:2.0|a|b|c|d|^|${'k=v^'.repeat(16000)}`],
      ['FIREEYE_NX', `{"alert":[${Array.from({ length: 2000 }, (_, i) => `{"id":"${i}","name":"x"}`).join(',')}]}`],
    ];
    for (const [product, record] of records) {
      const out = parseRecord(product, record, ctx);
      if (!out.ok) expect(out.reason).not.toMatch(/internal parser error/);
    }
  });

  it('validates the context and the product', () => {
    expect(parseRecord('GENERIC_JSON', '{}', { timeZone: 'Mars/Base', receivedAt: new Date() })).toEqual({
      ok: false,
      reason: 'parse context: unknown time zone "Mars/Base"',
    });
    expect(parseRecord('GENERIC_JSON', '{}', { timeZone: 'UTC', receivedAt: new Date('nope') })).toEqual({
      ok: false,
      reason: 'parse context: receivedAt is not a valid Date',
    });
    expect(parseRecord('NOPE' as never, '{}', ctx)).toEqual({ ok: false, reason: 'unknown sensor product "NOPE"' });
  });

  it('accepts CEF from products that can be set to send it (FortiGate CEF)', () => {
    const e = parseOne(
      'FORTIGATE',
      '<189>CEF:0|Fortinet|Fortigate|v7.2.5|00013|traffic:forward close|3|deviceExternalId=FG100FTK20000001 src=10.20.30.41 dst=203.0.113.34 spt=50000 dpt=443 act=close',
    );
    expect(field(e.ecs, 'observer.serial_number')).toBe('FG100FTK20000001');
    expect(field(e.ecs, 'cef.device.product')).toBe('Fortigate');
  });

  it('prefixes a CEF failure with the product', () => {
    expect(reasonFor('TREND_MICRO', 'CEF:0|Trend Micro|Apex')).toMatch(/^Trend Micro: CEF: header has 3 fields/);
  });

  it('fills the common ECS fields and keeps the raw record unchanged', () => {
    const raw = `${lines(own('fortigate-utm.log'))[0]}\r\n`;
    const e = parseOne('FORTIGATE', raw);
    expect(e.raw).toBe(raw);
    expect(e.ecs['@timestamp']).toBe(e.occurredAt.toISOString());
    expect(field(e.ecs, 'event.kind')).toBe(e.kind);
    expect(field(e.ecs, 'kanshi.product')).toBe('FORTIGATE');
    expect(field(e.ecs, 'log.syslog.facility.name')).toBe('local7');
    expect(field(e.ecs, 'log.syslog.severity.name')).toBe('alert');
  });

  it('uses the syslog header time when the payload has none, then the receive time', () => {
    const header = parseOne('GENERIC_CEF', '<14>Nov 20 11:59:00 host CEF:0|A|B|1|1|n|5|msg=x');
    expect(header.occurredAt.toISOString()).toBe('2026-11-20T02:59:00.000Z');
    expect(field(header.ecs, 'log.syslog.timestamp')).toBe('2026-11-20T02:59:00.000Z');
    const none = parseOne('GENERIC_CEF', 'CEF:0|A|B|1|1|n|5|msg=x');
    expect(none.occurredAt.toISOString()).toBe('2026-11-20T03:00:00.000Z');
  });

  it('returns no null, empty or non-finite value anywhere in ECS for every product sample', () => {
    const samples: Array<[string, (typeof SENSOR_PRODUCTS)[number]]> = [
      ['fireeye-nx-extended.json', 'FIREEYE_NX'],
      ['crowdstrike-detection-summary.json', 'CROWDSTRIKE_FALCON'],
      ['cybereason-malop.json', 'CYBEREASON'],
      ['carbonblack-alert-v7.json', 'CARBON_BLACK'],
      ['fortigate-utm.log', 'FORTIGATE'],
      ['paloalto-threat.log', 'PALO_ALTO'],
      ['symantec-sep.log', 'SYMANTEC_SEP'],
      ['trendmicro-cef.log', 'TREND_MICRO'],
    ];
    const bad: string[] = [];
    const walk = (v: unknown, path: string): void => {
      if (v === null || v === '' || (typeof v === 'number' && !Number.isFinite(v))) bad.push(path);
      else if (Array.isArray(v)) (v.length ? v.forEach((x, i) => walk(x, `${path}[${i}]`)) : bad.push(path));
      else if (typeof v === 'object') Object.entries(v as object).forEach(([k, x]) => walk(x, `${path}.${k}`));
    };
    for (const [file, product] of samples) {
      const text = own(file);
      for (const record of file.endsWith('.json') ? [text] : lines(text)) {
        const out = parseRecord(product, record, ctx);
        expect(out.ok).toBe(true);
        if (out.ok) out.events.forEach((e) => walk(e.ecs, file));
      }
    }
    expect(bad).toEqual([]);
  });
});
