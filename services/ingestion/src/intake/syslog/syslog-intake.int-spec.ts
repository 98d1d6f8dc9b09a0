import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import iconv from 'iconv-lite';
import { eventually, gqlOk, tokenFor } from '@kanshi/testing';
import { bootIngestion, createCustomer, freePort, registerSensor, TestService } from '../../int-spec-helpers';
import { createSelfSignedCertificate } from '../__fixtures__/self-signed-certificate';

jest.setTimeout(120_000);

const FIXTURES = path.resolve(__dirname, '../../parsers/__fixtures__');
const FORTIGATE = readFileSync(path.join(FIXTURES, 'fortigate-utm.log'), 'utf8').trim().split('\n');
const PALOALTO = readFileSync(path.join(FIXTURES, 'paloalto-threat.log'), 'utf8').trim();
// Loopback addresses of their own, so the source-address attribution is really exercised.
const KNOWN = '127.0.0.11';
const PALO = '127.0.0.13';
const UNKNOWN = '127.0.0.12';

let svc: TestService;
let ports: { udp: number; tcp: number; tls: number };
let cert: { key: string; cert: string };

beforeAll(async () => {
  ports = { udp: await freePort('udp'), tcp: await freePort(), tls: await freePort() };
  cert = createSelfSignedCertificate();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kanshi-syslog-tls-'));
  writeFileSync(path.join(dir, 'cert.pem'), cert.cert);
  writeFileSync(path.join(dir, 'key.pem'), cert.key);
  svc = await bootIngestion({
    SYSLOG_HOST: '127.0.0.1',
    SYSLOG_UDP_PORT: String(ports.udp),
    SYSLOG_TCP_PORT: String(ports.tcp),
    SYSLOG_TLS_PORT: String(ports.tls),
    SYSLOG_TLS_CERT_PATH: path.join(dir, 'cert.pem'),
    SYSLOG_TLS_KEY_PATH: path.join(dir, 'key.pem'),
  });
});
afterAll(async () => {
  await svc?.close();
});

const rawEvents = (sensorId: string): Promise<{ raw: string; transport: string }[]> =>
  svc.ds.query(`SELECT raw, transport FROM ingestion.raw_event WHERE sensor_id = $1 ORDER BY id`, [sensorId]);

function sendTcp(payload: Buffer | string, from: string, port = ports.tcp): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: from }, () => socket.end(payload));
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

async function sendUdp(messages: (Buffer | string)[], from: string): Promise<void> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, from, () => resolve()));
  for (const m of messages) await new Promise<void>((resolve, reject) => socket.send(m, ports.udp, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}

describe('syslog intake', () => {
  let fortigate: { sensorId: string; token: string };
  let paloalto: { sensorId: string; token: string };
  beforeAll(async () => {
    const c = await createCustomer(svc);
    fortigate = await registerSensor(svc, c.customerId, { product: 'FORTIGATE', allowedSourceIps: [KNOWN], timeZone: 'Asia/Tokyo' });
    paloalto = await registerSensor(svc, c.customerId, { product: 'PALO_ALTO', allowedSourceIps: [PALO] });
  });

  it('stores lines sent over TCP with newline and octet-counting framing, attributed by source address', async () => {
    const octet = `${Buffer.byteLength(FORTIGATE[1])} ${FORTIGATE[1]}`;
    await sendTcp(`${FORTIGATE[0]}\n${octet}`, KNOWN);
    await eventually(async () => expect((await rawEvents(fortigate.sensorId)).filter((r) => r.transport === 'tcp')).toHaveLength(2));
    const alerts = await svc.ds.query(`SELECT group_key FROM ingestion.alert WHERE sensor_id = $1 ORDER BY group_key`, [fortigate.sensorId]);
    expect(alerts.map((a: { group_key: string | null }) => a.group_key)).toContain('318840177');
  });

  it('stores datagrams sent over UDP, several messages per datagram included', async () => {
    await sendUdp([PALOALTO, `${PALOALTO}\n${PALOALTO}`], PALO);
    await eventually(async () => expect((await rawEvents(paloalto.sensorId)).filter((r) => r.transport === 'udp')).toHaveLength(3));
  });

  it('stores lines sent over TLS', async () => {
    await new Promise<void>((resolve, reject) => {
      // localAddress goes through to the TCP socket (the type does not list it)
      const options = { host: '127.0.0.1', port: ports.tls, localAddress: KNOWN, ca: cert.cert, servername: 'localhost' } as tls.ConnectionOptions;
      const socket = tls.connect(options, () => socket.end(`${FORTIGATE[0]}\n`));
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    await eventually(async () => expect((await rawEvents(fortigate.sensorId)).filter((r) => r.transport === 'tls')).toHaveLength(1));
  });

  it('counts a frame a reset cut off in Prometheus and quarantines the partial frame (syslog over TCP has no acknowledgement)', async () => {
    const cutMetric = async () => /kanshi_ingest_syslog_cut_frames_total\{[^}]*transport="tcp",cause="reset"[^}]*\} (\d+)/.exec(await (await fetch(`${svc.internalUrl}/metrics`)).text())?.[1] ?? '0';
    const before = Number(await cutMetric());
    const partial = FORTIGATE[1].slice(0, 60);
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: ports.tcp, localAddress: KNOWN }, () => resolve(s));
      s.on('error', reject);
    });
    socket.on('error', () => undefined);
    socket.write(`${FORTIGATE[0].replace('318840177', '318840999')}\n${partial}`);
    await eventually(async () => expect((await rawEvents(fortigate.sensorId)).some((r) => r.raw.includes('318840999'))).toBe(true));
    socket.resetAndDestroy();

    await eventually(async () => expect(Number(await cutMetric())).toBe(before + 1));
    const quarantined = await svc.ds.query(`SELECT reason, convert_from(raw, 'UTF8') AS raw FROM ingestion.quarantine WHERE sensor_id = $1 AND reason = 'connection closed inside a frame'`, [fortigate.sensorId]);
    expect(quarantined).toEqual([{ reason: 'connection closed inside a frame', raw: partial }]);
  });

  it('decodes Shift_JIS syslog from the device, and keeps the bytes it sent', async () => {
    const sent = readFileSync(path.join(FIXTURES, 'fortigate-ja.sjis.log'));
    await sendUdp([sent], KNOWN);
    await eventually(async () => expect((await rawEvents(fortigate.sensorId)).some((r) => r.raw.includes('FGT-大阪-01'))).toBe(true));
    const [row] = await svc.ds.query(`SELECT raw, raw_bytes FROM ingestion.raw_event WHERE sensor_id = $1 AND raw LIKE '%FGT-大阪-01%'`, [fortigate.sensorId]);
    // one datagram is one line: the bytes are the file's, without its trailing newline
    expect(row.raw_bytes.equals(sent.subarray(0, sent.indexOf(0x0a) < 0 ? sent.length : sent.indexOf(0x0a)))).toBe(true);
    expect(iconv.decode(row.raw_bytes, 'cp932')).toBe(row.raw);
    const { rawEvents: page } = await gqlOk<{ rawEvents: { edges: { node: { raw: string; rawBase64: string | null } }[] } }>(
      svc.graphql,
      await tokenFor('analyst'),
      `query($f: RawEventFilter!) { rawEvents(filter: $f) { edges { node { raw rawBase64 } } } }`,
      { f: { from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString(), sensorId: fortigate.sensorId } },
    );
    const nodes = page.edges.map((e) => e.node);
    expect(nodes.find((n) => n.raw === row.raw)?.rawBase64).toBe(row.raw_bytes.toString('base64'));
    // a UTF-8 line is stored as it came: no second copy
    expect(nodes.filter((n) => !n.raw.includes('FGT-大阪-01')).every((n) => n.rawBase64 === null)).toBe(true);
  });

  it('quarantines what comes from an unknown source address, attributed to no tenant', async () => {
    await sendUdp(['<14>who am I? an unregistered device'], UNKNOWN);
    await eventually(async () => {
      const rows = await svc.ds.query(`SELECT sensor_id, customer_id, transport, reason, convert_from(raw, 'UTF8') AS raw FROM ingestion.quarantine WHERE remote_address = $1`, [UNKNOWN]);
      expect(rows).toEqual([{ sensor_id: null, customer_id: null, transport: 'udp', reason: `unknown source address ${UNKNOWN}`, raw: '<14>who am I? an unregistered device' }]);
    });
    // a flood from the same address is counted, not written row by row
    await sendUdp(Array.from({ length: 50 }, (_, i) => `<14>flood ${i}`), UNKNOWN);
    await new Promise((r) => setTimeout(r, 500));
    const [{ n }] = await svc.ds.query(`SELECT count(*)::int AS n FROM ingestion.quarantine WHERE remote_address = $1`, [UNKNOWN]);
    expect(n).toBe(1);
  });

  it('quarantines a malformed syslog line with the reason and stores the rest of the stream', async () => {
    await sendTcp(`${FORTIGATE[0]}\n<14>Nov 20 11:00:00 fw garbage without pairs\n${FORTIGATE[1]}\n`, KNOWN);
    await eventually(async () => {
      const q = await svc.ds.query(`SELECT reason FROM ingestion.quarantine WHERE sensor_id = $1 AND convert_from(raw, 'UTF8') LIKE '%garbage without pairs%'`, [fortigate.sensorId]);
      expect(q).toEqual([{ reason: expect.stringMatching(/FortiGate/) }]);
    });
  });

  it('takes a flood over TCP with bounded memory and stores every line', async () => {
    const c = await createCustomer(svc);
    const flood = await registerSensor(svc, c.customerId, { product: 'FORTIGATE', allowedSourceIps: ['127.0.0.14'] });
    const lines = 30_000;
    const payload = Buffer.from(Array.from({ length: lines }, (_, i) => FORTIGATE[i % 2].replace('incidentserialno=318840177', `incidentserialno=${i}`)).join('\n') + '\n');
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    await sendTcp(payload, '127.0.0.14');
    await eventually(
      async () => {
        const [{ n }] = await svc.ds.query(`SELECT count(*)::int AS n FROM ingestion.raw_event WHERE sensor_id = $1`, [flood.sensorId]);
        expect(n).toBe(lines);
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    clearInterval(sampler);
    // the payload itself is ~18 MB; the socket is paused while each batch is written. Alone this
    // spec's process grows ~115 MB; inside the whole suite (one process for every spec) V8 also
    // grows heaps earlier specs left fragmented (346 MB seen once), so the bound here is loose and
    // the service's own figure is the ingest benchmark's peak RSS (docs/benchmarks.md)
    expect(peak - before).toBeLessThan(512 * 1024 * 1024);
  });
});
