import * as iconv from 'iconv-lite';
import { parseBatch, ParseJob, ParseInput } from './parse-batch';
import { RAW_EVENT_COLUMNS } from './stored-columns';
import { toParseInput } from './ingest.service';

const LOGS = { subject: 'ingestion.log.received.v1', sensorId: '6f1c2a4e-0000-4000-8000-000000000001', customerId: '6f1c2a4e-0000-4000-8000-000000000002', maxPayloadBytes: 1024 * 1024 };
const TRAFFIC = (n: number) => JSON.stringify({ message: `connection ${n}`, severity: 'info', source: { ip: '10.0.0.1' } });
const ALERT = (id: string) => JSON.stringify({ kind: 'alert', rule: 'Brute force', severity: 8, id });

function job(input: ParseInput, maxPayloadBytes = LOGS.maxPayloadBytes): ParseJob {
  return { product: 'GENERIC_JSON', timeZone: 'Asia/Tokyo', input, logs: { ...LOGS, maxPayloadBytes }, store: { transport: 'https', retentionMonths: 3 } };
}

const text = (u: Uint8Array) => Buffer.from(u).toString('utf8');
const at = Date.parse('2026-11-28T01:00:00Z');

describe('parseBatch', () => {
  it('hands back the product version of the last event that reports one (observer.version), with its arrival', () => {
    const cef = (v: string) => `CEF:0|Fortinet|Fortigate|${v}|13056|utm:ips signature|5|src=10.0.0.9 dst=203.0.113.7 act=dropped`;
    const fortigate: ParseJob = { ...job({ kind: 'records', records: [] }), product: 'FORTIGATE' };
    const native = 'date=2026-11-28 time=10:00:00 devname="fg-tokyo" devid="FG100F0000000001" logid="0000000013" type="traffic" subtype="forward" level="notice" srcip=10.0.0.1 dstip=10.0.0.2 action="accept"';
    const records = [
      { text: cef('v7.2.8'), receivedAt: at },
      { text: cef('v7.4.4'), receivedAt: at + 1 },
      { text: native, receivedAt: at + 2 },
    ];
    const out = parseBatch({ ...fortigate, input: { kind: 'records', records } });
    expect(out.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(out.productVersion).toEqual({ version: 'v7.4.4', receivedAt: at + 1 });
    expect(parseBatch({ ...fortigate, input: { kind: 'records', records: [records[2]] } }).productVersion).toBeUndefined();
    expect(parseBatch({ ...fortigate, input: { kind: 'records', records: [{ text: cef('   '), receivedAt: at }] } }).productVersion).toBeUndefined();
  });

  it('answers per record and serializes the accepted ones as COPY rows', () => {
    const out = parseBatch(job({ kind: 'records', records: [{ text: TRAFFIC(1), receivedAt: at }, { text: 'not json', receivedAt: at }, { text: 'say "hi" \\ bye', receivedAt: at, rejectedReason: 'refused early' }] }));
    expect(out.results).toEqual([
      { index: 0, status: 'accepted', events: 1, alerts: 0 },
      { index: 1, status: 'quarantined', reason: expect.any(String) },
      { index: 2, status: 'quarantined', reason: 'refused early' },
    ]);
    expect(out.raw.count).toBe(1);
    expect(out.raw.months).toEqual(['2026-11']);
    const rows = text(out.raw.copy).split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toBe('');
    const columns = RAW_EVENT_COLUMNS.split(', ');
    expect(Object.fromEntries(rows[0].split('\t').map((v, i) => [columns[i], v]))).toEqual({
      received_at: '2026-11-28T01:00:00.000Z',
      retention_months: '3',
      occurred_at: '2026-11-28T01:00:00.000Z',
      customer_id: LOGS.customerId,
      sensor_id: LOGS.sensorId,
      product: 'GENERIC_JSON',
      transport: 'https',
      kind: 'event',
      severity: '0',
      raw: TRAFFIC(1),
      raw_bytes: '\\N',
    });
    expect(out.quarantined.map((q) => [q.index, text(q.raw), q.receivedAt])).toEqual([
      [1, 'not json', at],
      [2, 'say "hi" \\ bye', at],
    ]);
  });

  it('counts identical alerts once, sorted by alert key, each with its alerts.received body', () => {
    const out = parseBatch(job({ kind: 'records', records: [ALERT('b'), ALERT('a'), ALERT('b')].map((t) => ({ text: t, receivedAt: at })) }));
    expect(out.alerts.count).toBe(2);
    const keys = JSON.parse(`[${text(out.alerts.columns.alert_key).slice(1, -1)}]`) as string[];
    expect(keys).toEqual([...keys].sort());
    const vids = JSON.parse(`[${text(out.alerts.columns.vendor_event_id).slice(1, -1)}]`) as string[];
    const counts = JSON.parse(`[${text(out.alerts.columns.repeat_count).slice(1, -1)}]`) as number[];
    expect(Object.fromEntries(vids.map((v, i) => [v, counts[i]]))).toEqual({ a: 1, b: 2 });
    const bodies = out.alerts.bodies.map((b) => JSON.parse(b));
    expect(bodies.map((b) => [b.alertId, b.repeatCount, b.ruleName, b.sensorId])).toEqual(
      vids.map((v, i) => [out.alerts.ids[i], v === 'a' ? 1 : 2, 'Brute force', LOGS.sensorId]),
    );
    expect(bodies[0].ecs).toMatchObject({ event: { kind: 'alert' } });
  });

  it('puts logs in logs.received messages of at most 5000 records and under the payload limit', () => {
    const many = parseBatch(job({ kind: 'records', records: Array.from({ length: 12_000 }, (_, i) => ({ text: TRAFFIC(i), receivedAt: at })) }, 8 * 1024 * 1024));
    expect(many.logBatches.map((b) => b.records)).toEqual([5000, 5000, 2000]);
    const envelope = JSON.parse(text(many.logBatches[0].payload));
    expect(envelope).toMatchObject({ eventId: many.logBatches[0].eventId, subject: LOGS.subject, customerId: LOGS.customerId, body: { sensorId: LOGS.sensorId, product: 'GENERIC_JSON' } });
    expect(envelope.body.records[0]).toMatchObject({ message: 'connection 0', event: { kind: 'event' } });

    const small = parseBatch(job({ kind: 'records', records: Array.from({ length: 100 }, (_, i) => ({ text: TRAFFIC(i), receivedAt: at })) }, 4096 + 2000));
    expect(small.logBatches.length).toBeGreaterThan(1);
    for (const b of small.logBatches) expect(b.payload.byteLength).toBeLessThanOrEqual(4096 + 2000);
    expect(small.logBatches.reduce((n, b) => n + b.records, 0)).toBe(100);
  });

  it('escapes tabs, newlines and backslashes of a raw record for COPY, one row per record', () => {
    // a backslash escape inside a JSON string, and a pretty-printed document (tabs, CR LF)
    const tricky = JSON.stringify({ message: 'C:\\Windows\tcmd.exe' });
    const withTab = JSON.stringify({ message: 'pretty', severity: 'info' }, null, '\t').replace(/\n/g, '\r\n');
    const out = parseBatch(job({ kind: 'records', records: [{ text: tricky, receivedAt: at }, { text: withTab, receivedAt: at }, { text: 'x\r\ny', receivedAt: at, rejectedReason: 'no' }] }));
    const rows = text(out.raw.copy).split('\n').filter(Boolean);
    expect(rows).toHaveLength(out.raw.count);
    expect(out.raw.count).toBe(2);
    // COPY text format: \\ \t \n \r stand for the characters; reading them back gives the records
    const unescape = (v: string) => v.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[c] ?? c);
    expect(rows.map((r) => unescape(r.split('\t')[9]))).toEqual([tricky, withTab]);
    expect(rows.every((r) => r.split('\t').length === 11)).toBe(true);
  });

  it('unpacks syslog frames packed in one buffer', () => {
    const input = toParseInput([TRAFFIC(1), 'broken', TRAFFIC(2)].map((t, i) => ({ bytes: Buffer.from(t), receivedAt: new Date(at + i) })));
    expect(input.kind).toBe('frames');
    const out = parseBatch(job(input));
    expect(out.results.map((r) => r.status)).toEqual(['accepted', 'quarantined', 'accepted']);
    expect(text(out.quarantined[0].raw)).toBe('broken');
    expect(out.quarantined[0].receivedAt).toBe(at + 1);
  });

  it("keeps the bytes as sent beside the text when they are not that text's UTF-8 (Shift_JIS, ISO-2022-JP)", () => {
    const fortigate = (devname: string) => `<189>date=2026-11-20 time=10:10:00 devname="${devname}" logid="0000000013" type="traffic" subtype="forward" srcip=10.0.0.1 dstip=10.0.0.2 action="close"`;
    const sjis = iconv.encode(fortigate('FGT-大阪-01'), 'cp932');
    // ISO-2022-JP by hand (iconv-lite has no encoder): JIS X 0208 is EUC-JP without the high bits
    const [head, tail] = fortigate('FGT-東京-02').split('東京');
    const kanji = Buffer.from(iconv.encode('東京', 'euc-jp').map((b) => b & 0x7f));
    const jis = Buffer.concat([Buffer.from(head), Buffer.from('\x1b$B', 'latin1'), kanji, Buffer.from('\x1b(B', 'latin1'), Buffer.from(tail)]);
    const utf8 = Buffer.from(fortigate('FGT-名古屋-03'));
    const frames = toParseInput([sjis, jis, utf8].map((bytes) => ({ bytes, receivedAt: new Date(at) })));
    const out = parseBatch({ ...job(frames), product: 'FORTIGATE' });
    expect(out.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const rows = text(out.raw.copy).split('\n').filter(Boolean).map((r) => r.split('\t'));
    expect(rows.map((r) => r[9])).toEqual([fortigate('FGT-大阪-01'), fortigate('FGT-東京-02'), fortigate('FGT-名古屋-03')]);
    // bytea hex, its backslash doubled for COPY; NULL where the text is what was sent
    expect(rows.map((r) => r[10])).toEqual([`\\\\x${sjis.toString('hex')}`, `\\\\x${jis.toString('hex')}`, '\\N']);
  });

  it('splits an HTTPS body, taking an NDJSON body with a broken line line by line', () => {
    const body = Buffer.from(`${TRAFFIC(1)}\n{"message":"cut\n${TRAFFIC(3)}\n`);
    const out = parseBatch(job({ kind: 'body', body, contentType: 'application/x-ndjson', receivedAt: at }));
    expect(out.results.map((r) => r.status)).toEqual(['accepted', 'quarantined', 'accepted']);
    expect(parseBatch(job({ kind: 'body', body: Buffer.from('  \n'), receivedAt: at })).error).toBe('empty body');
  });
});
