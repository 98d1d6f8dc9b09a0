import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { createSelfSignedCertificate } from '../__fixtures__/self-signed-certificate';
import { SensorRef } from '../sensor-ref';
import { LookupCache } from '../../sensors/lookup-cache';
import { splitDatagram } from './syslog-datagrams';
import { SyslogCut, SyslogDrop, SyslogMeta, SyslogRecord, SyslogRejection } from './syslog-delivery';
import { SyslogListener, SyslogListenerOptions } from './syslog-listener';

// Real sockets on loopback. 127.0.0.1 is the registered firewall; 127.0.0.2 (also loopback on
// Linux) plays a device nobody registered.
const FIREWALL: SensorRef = { sensorId: 'sensor-fgt-hq-01', customerId: 'customer-a' };
const KNOWN = '127.0.0.1';
const STRANGER = '127.0.0.2';
const FIXTURES = path.resolve(__dirname, '../../parsers/__fixtures__');
const fortigateLines = fs.readFileSync(path.join(FIXTURES, 'fortigate-utm.log'), 'utf8').split('\n').filter(Boolean);

interface Batch {
  sensor: SensorRef;
  records: SyslogRecord[];
  meta: SyslogMeta;
}

const running: SyslogListener[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

// `sensorCacheTtlMs`: the listener asks the sensor directory in the service, which caches its
// answers (the only sensor cache of intake); here a cache of the same kind stands in for it.
async function setup(overrides: Partial<SyslogListenerOptions> = {}, sensorCacheTtlMs = 10_000) {
  const batches: Batch[] = [];
  const rejections: SyslogRejection[] = [];
  const lookups: string[] = [];
  const errors: Error[] = [];
  const drops: SyslogDrop[] = [];
  const cuts: SyslogCut[] = [];
  const { resolveSensor: lookup = defaultLookup(lookups), ...rest } = overrides;
  const directory = new LookupCache<SensorRef | null>(sensorCacheTtlMs, 10_000);
  const sut = new SyslogListener({
    udpPort: 0,
    tcpPort: 0,
    resolveSensor: (address) => directory.get(address, () => lookup(address)),
    peekSensor: (address) => directory.peek(address),
    onRecords: async (sensor, records, meta) => {
      batches.push({ sensor, records, meta });
    },
    onRejected: async (rejection) => {
      rejections.push(rejection);
    },
    onError: (err) => errors.push(err),
    onDropped: (drop) => drops.push(drop),
    onCutOff: (cut) => cuts.push(cut),
    ...rest,
  });
  running.push(sut);
  const ports = await sut.start();
  const texts = () => batches.flatMap((batch) => batch.records.map((r) => r.bytes.toString()));
  return { sut, ports, batches, rejections, lookups, errors, drops, cuts, texts };
}

function defaultLookup(lookups: string[]) {
  return async (address: string): Promise<SensorRef | null> => {
    lookups.push(address);
    return address === KNOWN ? FIREWALL : null;
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function sendUdp(port: number, messages: Array<string | Buffer>, from = KNOWN): Promise<void> {
  const client = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => client.bind({ address: from, port: 0 }, resolve));
  for (const message of messages) {
    await new Promise<void>((resolve, reject) => client.send(message, port, KNOWN, (err) => (err ? reject(err) : resolve())));
  }
  client.close();
}

function connectTcp(port: number, from = KNOWN): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: KNOWN, port, localAddress: from }, () => resolve(socket));
    socket.once('error', reject);
  });
}

function closed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

function octet(msg: string): string {
  return `${Buffer.byteLength(msg)} ${msg}`;
}

describe('SyslogListener over UDP', () => {
  it('makes one record per datagram, and one per line when a device packs several lines into one', async () => {
    const { ports, batches, texts } = await setup();
    await sendUdp(ports.udpPort!, [fortigateLines[0], `${fortigateLines[1]}\r\n<14>second in the datagram\n`, '<14>last one\0']);
    await waitFor(() => texts().length === 4);
    expect(texts()).toEqual([fortigateLines[0], fortigateLines[1], '<14>second in the datagram', '<14>last one']);
    expect(batches.every((b) => b.sensor === FIREWALL)).toBe(true);
    expect(batches[0].meta).toEqual({ transport: 'udp', remoteAddress: KNOWN });
    expect(batches[0].records[0].receivedAt).toBeInstanceOf(Date);
  });

  it('rejects datagrams from an unknown source address and attributes nothing to a tenant', async () => {
    const { ports, batches, rejections, sut } = await setup();
    await sendUdp(ports.udpPort!, ['<13>who am i'], STRANGER);
    await waitFor(() => rejections.length === 1);
    expect(rejections[0]).toMatchObject({ transport: 'udp', remoteAddress: STRANGER, reason: `unknown source address ${STRANGER}` });
    expect(rejections[0].sensor).toBeUndefined();
    expect(rejections[0].sample.toString()).toBe('<13>who am i');
    expect(batches).toEqual([]);
    expect(sut.stats()).toMatchObject({ received: 0, rejected: 1 });
  });

  it('looks a source address up once and reuses the answer for following datagrams', async () => {
    const { ports, lookups, texts } = await setup();
    await sendUdp(ports.udpPort!, ['<13>a', '<13>b', '<13>c']);
    await waitFor(() => texts().length === 3);
    expect(texts()).toEqual(['<13>a', '<13>b', '<13>c']);
    expect(lookups).toEqual([KNOWN]);
  });

  it('drops and counts records when more batches are in flight than allowed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const delivered: string[] = [];
    const { ports, sut, drops } = await setup({
      batchMaxRecords: 1,
      maxUdpBatchesInFlight: 1,
      onRecords: async (_sensor, records) => {
        await gate;
        delivered.push(...records.map((r) => r.bytes.toString()));
      },
    });
    await sendUdp(ports.udpPort!, ['<13>1', '<13>2', '<13>3', '<13>4', '<13>5']);
    await waitFor(() => sut.stats().received === 5);
    expect(sut.stats()).toMatchObject({ received: 5, droppedUdp: 4, delivered: 0 });
    // and says so, with the source and the sensor it came from
    expect(drops.map((d) => [d.reason, d.transport, d.remoteAddress, d.sensor?.sensorId, d.records])).toEqual(Array(4).fill(['udp_overload', 'udp', KNOWN, FIREWALL.sensorId, 1]));
    release();
    await waitFor(() => sut.stats().delivered === 1);
    expect(delivered).toEqual(['<13>1']);
  });

  it('reports refused frames it cannot quarantine while too many quarantine writes are pending', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const quarantined: string[] = [];
    const { ports, sut, drops } = await setup({
      maxPendingRejections: 1,
      resolveSensor: async () => null,
      onRejected: async (r) => {
        await gate;
        quarantined.push(r.reason);
      },
    });
    await sendUdp(ports.udpPort!, ['<13>1', '<13>2', '<13>3']);
    await waitFor(() => sut.stats().rejected === 3);
    expect(drops.map((d) => [d.reason, d.transport, d.remoteAddress, d.records])).toEqual(Array(2).fill(['rejections_overload', 'udp', KNOWN, 1]));
    release();
    await waitFor(() => quarantined.length === 1);
    expect(sut.stats().droppedRejections).toBe(2);
  });

  it('splits datagrams on LF, CRLF and NUL without empty records', () => {
    const parts = splitDatagram(Buffer.from('\n<1>a\r\n\r\n<2>b\0<3>c'));
    expect(parts.map((p) => p.toString())).toEqual(['<1>a', '<2>b', '<3>c']);
  });
});

describe('SyslogListener over TCP', () => {
  it('frames octet-counted and newline-delimited messages on one connection, in order', async () => {
    const { ports, texts, batches } = await setup();
    const client = await connectTcp(ports.tcpPort!);
    const rfc5424 = '<165>1 2026-11-20T02:14:09.003Z fw01 sshd 4242 ID47 - multi\nline';
    const wire = `${octet(rfc5424)}${fortigateLines[0]}\n${octet('<13>counted')}${fortigateLines[1]}\r\n<13>nul\0`;
    // written in awkward pieces so that frames straddle TCP segments
    for (let i = 0; i < wire.length; i += 37) {
      client.write(wire.slice(i, i + 37));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => texts().length === 5);
    expect(texts()).toEqual([rfc5424, fortigateLines[0], '<13>counted', fortigateLines[1], '<13>nul']);
    expect(batches[0].meta).toEqual({ transport: 'tcp', remoteAddress: KNOWN });
    client.end();
  });

  it('hands records over in batches of batchMaxRecords, the rest after batchMaxDelayMs', async () => {
    const { ports, batches, texts } = await setup({ batchMaxRecords: 500, batchMaxDelayMs: 50 });
    const client = await connectTcp(ports.tcpPort!);
    client.write(Array.from({ length: 1_200 }, (_, i) => `<13>line ${i}\n`).join(''));
    await waitFor(() => texts().length === 1_200);
    expect(batches.map((b) => b.records.length)).toEqual([500, 500, 200]);
    expect(texts()[1_199]).toBe('<13>line 1199');
    client.end();
  });

  it('closes the connection of an unknown source address and reports it with its first bytes', async () => {
    const { ports, rejections, batches, sut } = await setup();
    const client = await connectTcp(ports.tcpPort!, STRANGER);
    client.on('error', () => undefined);
    client.write('<13>hello from nowhere\n');
    await closed(client);
    await waitFor(() => rejections.length === 1);
    expect(rejections[0]).toMatchObject({ transport: 'tcp', remoteAddress: STRANGER, reason: `unknown source address ${STRANGER}` });
    expect(rejections[0].sample.toString()).toBe('<13>hello from nowhere\n');
    expect(batches).toEqual([]);
    await waitFor(() => sut.stats().connections === 0);
  });

  it('quarantines an oversized frame with a sample and keeps the connection going', async () => {
    const { ports, rejections, texts, sut } = await setup({ maxFrameBytes: 1_024 });
    const client = await connectTcp(ports.tcpPort!);
    client.write(`<13>${'X'.repeat(5_000)}\n<13>after the big one\n`);
    await waitFor(() => texts().length === 1 && rejections.length === 1);
    expect(texts()).toEqual(['<13>after the big one']);
    expect(rejections[0]).toMatchObject({ transport: 'tcp', remoteAddress: KNOWN, sensor: FIREWALL });
    expect(rejections[0].reason).toContain('1024 byte limit');
    expect(rejections[0].sample.toString()).toBe(`<13>${'X'.repeat(508)}`);
    expect(sut.stats()).toMatchObject({ oversized: 1, received: 1 });
    client.end();
  });

  it('retries a failed delivery with the socket paused, so nothing is lost or duplicated', async () => {
    let calls = 0;
    const delivered: string[] = [];
    const { ports, sut, errors } = await setup({
      deliveryRetryDelaysMs: [20, 20],
      onRecords: async (_sensor, records) => {
        calls++;
        if (calls <= 2) throw new Error('database unavailable');
        delivered.push(...records.map((r) => r.bytes.toString()));
      },
    });
    const client = await connectTcp(ports.tcpPort!);
    client.write('<13>one\n<13>two\n');
    await waitFor(() => delivered.length === 2);
    expect(delivered).toEqual(['<13>one', '<13>two']);
    expect(calls).toBe(3);
    expect(errors).toEqual([]);
    expect(sut.stats()).toMatchObject({ delivered: 2, failedRecords: 0 });
    client.end();
  });

  it('gives a batch up after the last retry, says so, and drops the connection so the sender notices', async () => {
    const { ports, sut, errors, drops } = await setup({
      deliveryRetryDelaysMs: [10],
      onRecords: async () => {
        throw new Error('database unavailable');
      },
    });
    const client = await connectTcp(ports.tcpPort!);
    client.on('error', () => undefined);
    client.write('<13>doomed\n');
    await closed(client);
    await waitFor(() => sut.stats().failedRecords === 1);
    expect(errors[0].message).toContain('gave up delivering 1 records from 127.0.0.1 (tcp) after 2 attempts');
    expect(drops).toMatchObject([{ reason: 'store_failed', transport: 'tcp', records: 1 }]);
  });

  it('refuses connections past maxConnections', async () => {
    const { ports, sut, texts } = await setup({ maxConnections: 1 });
    const first = await connectTcp(ports.tcpPort!);
    await waitFor(() => sut.stats().connections === 1);
    const second = await connectTcp(ports.tcpPort!);
    second.on('error', () => undefined);
    await closed(second);
    first.write('<13>still served\n');
    await waitFor(() => texts().length === 1);
    expect(sut.stats().refusedConnections).toBe(1);
    first.end();
  });

  it('closes an idle connection and keeps its last line that had no trailer, counting it as possibly cut', async () => {
    const { sut, ports, texts, cuts } = await setup({ idleTimeoutMs: 150 });
    const client = await connectTcp(ports.tcpPort!);
    client.write('<13>complete\n<13>no trailer');
    await closed(client);
    expect(texts()).toEqual(['<13>complete', '<13>no trailer']);
    expect(cuts).toEqual([expect.objectContaining({ cause: 'idle', bytes: '<13>no trailer'.length, transport: 'tcp', remoteAddress: KNOWN, sensor: FIREWALL })]);
    expect(sut.stats().cutFrames).toBe(1);
  });

  it('reports a message cut by a reset instead of passing it on as whole, and counts the cut', async () => {
    const { sut, ports, texts, rejections, cuts } = await setup();
    const client = await connectTcp(ports.tcpPort!);
    client.write('<13>whole\n<13>cut in the mid');
    await waitFor(() => texts().length === 1);
    client.resetAndDestroy();
    await waitFor(() => rejections.length === 1);
    expect(rejections[0]).toMatchObject({ reason: 'connection closed inside a frame', sensor: FIREWALL });
    expect(rejections[0].sample.toString()).toBe('<13>cut in the mid');
    expect(cuts).toEqual([expect.objectContaining({ cause: 'reset', bytes: '<13>cut in the mid'.length, sensor: FIREWALL })]);
    expect(sut.stats().cutFrames).toBe(1);
  });

  it('counts a frame the listener stop (a restart) cuts off, and nothing when the connection was between frames', async () => {
    const { sut, ports, texts, cuts } = await setup({ batchMaxDelayMs: 10_000 });
    const between = await connectTcp(ports.tcpPort!);
    between.on('error', () => undefined);
    between.write('<13>whole line\n');
    const inside = await connectTcp(ports.tcpPort!);
    inside.on('error', () => undefined);
    inside.write('<13>whole\n<13>half a li');
    await waitFor(() => sut.stats().received === 2);
    await sut.stop();
    expect(texts().sort()).toEqual(['<13>half a li', '<13>whole', '<13>whole line']);
    expect(cuts).toEqual([expect.objectContaining({ cause: 'stop', bytes: '<13>half a li'.length })]);
  });

  it('counts an octet-counted frame the sender closed before its end (quarantined) but not a closed connection between frames', async () => {
    const { ports, rejections, cuts, texts } = await setup();
    const clean = await connectTcp(ports.tcpPort!);
    clean.end('<13>one\n');
    await closed(clean);
    await waitFor(() => texts().length === 1);
    expect(cuts).toEqual([]);
    const client = await connectTcp(ports.tcpPort!);
    client.end('40 <13>1 2026-12-03T00:00:00Z fw');
    await closed(client);
    await waitFor(() => rejections.length === 1);
    expect(rejections[0].reason).toMatch(/^truncated octet-counted frame: 40 bytes declared/);
    expect(cuts).toEqual([expect.objectContaining({ cause: 'end', bytes: '<13>1 2026-12-03T00:00:00Z fw'.length })]);
  });

  it('re-checks the source address of a long-lived connection, so a moved or deleted sensor stops receiving', async () => {
    const moved: SensorRef = { sensorId: 'sensor-fgt-hq-01-new', customerId: 'customer-b' };
    let current: SensorRef | null = FIREWALL;
    const { ports, batches, rejections } = await setup({ resolveSensor: async () => current }, 20);
    const client = await connectTcp(ports.tcpPort!);
    client.on('error', () => undefined);
    client.write('<13>first\n');
    await waitFor(() => batches.length === 1);
    current = moved;
    await new Promise((resolve) => setTimeout(resolve, 30));
    client.write('<13>second\n');
    await waitFor(() => batches.length === 2);
    current = null;
    await new Promise((resolve) => setTimeout(resolve, 30));
    client.write('<13>third\n');
    await closed(client);
    await waitFor(() => rejections.length === 1);
    expect(batches.map((b) => [b.sensor.sensorId, b.records[0].bytes.toString()])).toEqual([
      ['sensor-fgt-hq-01', '<13>first'],
      ['sensor-fgt-hq-01-new', '<13>second'],
    ]);
    expect(rejections[0]).toMatchObject({ reason: `unknown source address ${KNOWN}`, sample: Buffer.from('<13>third\n') });
    expect(rejections[0].sensor).toBeUndefined();
  });

  it('delivers what was read before stop() resolves', async () => {
    const { ports, sut, texts } = await setup({ batchMaxDelayMs: 10_000 });
    const client = await connectTcp(ports.tcpPort!);
    client.on('error', () => undefined);
    client.write('<13>before shutdown\n');
    await waitFor(() => sut.stats().received === 1);
    await sut.stop();
    expect(texts()).toEqual(['<13>before shutdown']);
    await closed(client);
  });

  it('works on two batches of a connection at once (one parsed while the other is written), not more', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let active = 0;
    let maxActive = 0;
    const { ports, sut } = await setup({
      batchMaxRecords: 10,
      batchesInFlightPerConnection: 2,
      onRecords: async (_sensor, records) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await gate;
        received.push(...records.map((r) => r.bytes.toString()));
        active--;
      },
    });
    const received: string[] = [];
    const client = await connectTcp(ports.tcpPort!);
    client.write(Array.from({ length: 50 }, (_, i) => `<13>line ${i}\n`).join(''));
    await waitFor(() => active === 2);
    // the third batch waits for one of the two, however long they take
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(active).toBe(2);
    expect(sut.stats().backpressurePauses).toBeGreaterThan(0);
    release();
    await waitFor(() => received.length === 50);
    expect(maxActive).toBe(2);
    expect([...received].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `<13>line ${i}`).sort());
    client.end();
  });

  it('keeps memory bounded under a flood: the socket is paused while a batch is written, then resumes', async () => {
    const total = 200_000;
    const pad = 'x'.repeat(220);
    let release!: () => void;
    const firstBatchGate = new Promise<void>((resolve) => (release = resolve));
    let expected = 0;
    let outOfOrder = 0;
    let maxBacklog = 0;
    const { ports, sut } = await setup({
      onRecords: async (_sensor, records) => {
        // records framed but not yet written: what the server holds in memory
        const { received, delivered } = sut.stats();
        maxBacklog = Math.max(maxBacklog, received - delivered);
        if (expected === 0) await firstBatchGate;
        for (const record of records) {
          // "<134>seq=000042 xxx..."
          if (Number(record.bytes.subarray(9, 15).toString()) !== expected) outOfOrder++;
          expected++;
        }
        // a COPY takes a moment
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const client = await connectTcp(ports.tcpPort!);
    let senderBlocked = 0;
    const started = Date.now();
    for (let i = 0; i < total; i += 1_000) {
      let chunk = '';
      for (let j = i; j < i + 1_000; j++) chunk += `<134>seq=${String(j).padStart(6, '0')} ${pad}\n`;
      if (!client.write(chunk)) {
        senderBlocked++;
        if (senderBlocked === 1) setTimeout(release, 200);
        await new Promise((resolve) => client.once('drain', resolve));
      }
    }
    client.end();
    await waitFor(() => sut.stats().delivered === total, 60_000);
    clearInterval(sampler);
    const elapsed = Date.now() - started;
    expect(outOfOrder).toBe(0);
    expect(sut.stats()).toMatchObject({ received: total, delivered: total, rejected: 0, oversized: 0 });
    expect(senderBlocked).toBeGreaterThan(0);
    expect(sut.stats().backpressurePauses).toBeGreaterThan(0);
    expect(maxBacklog).toBeLessThan(2_000);
    expect(peak - baseline).toBeLessThan(150 * 1024 * 1024);
    // visible in the test output for whoever tunes batch sizes
    process.stdout.write(`flood: ${total} lines in ${elapsed} ms, backlog <= ${maxBacklog} records, RSS peak +${Math.round((peak - baseline) / 1048576)} MiB\n`);
  }, 60_000);
});

describe('SyslogListener over TLS', () => {
  let key: string;
  let cert: string;

  beforeAll(() => {
    ({ key, cert } = createSelfSignedCertificate());
  });

  function connectTls(port: number, options: tls.ConnectionOptions = {}): Promise<tls.TLSSocket> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ host: KNOWN, port, ca: cert, ...options }, () => resolve(socket));
      socket.once('error', reject);
    });
  }

  it('frames records received over TLS', async () => {
    const { ports, texts, batches } = await setup({ udpPort: undefined, tcpPort: undefined, tlsPort: 0, tls: { key, cert } });
    expect(ports).toEqual({ udpPort: null, tcpPort: null, tlsPort: expect.any(Number) });
    const client = await connectTls(ports.tlsPort!);
    client.write(`${octet(fortigateLines[0])}${fortigateLines[1]}\n`);
    await waitFor(() => texts().length === 2);
    expect(texts()).toEqual([fortigateLines[0], fortigateLines[1]]);
    expect(batches[0].meta).toEqual({ transport: 'tls', remoteAddress: KNOWN });
    client.end();
  });

  it('stop() does not wait for a client that never completes its TLS handshake', async () => {
    const { ports, sut } = await setup({ udpPort: undefined, tcpPort: undefined, tlsPort: 0, tls: { key, cert } });
    const stalled = await connectTcp(ports.tlsPort!);
    stalled.on('error', () => undefined);
    const started = Date.now();
    await sut.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    await closed(stalled);
  });

  it('disconnects a client that does not complete its TLS handshake in time', async () => {
    const { ports, errors } = await setup({ udpPort: undefined, tcpPort: undefined, tlsPort: 0, tls: { key, cert }, idleTimeoutMs: 200 });
    const stalled = await connectTcp(ports.tlsPort!);
    stalled.on('error', () => undefined);
    await closed(stalled);
    expect(errors.map((e) => e.message)).toEqual(['TLS handshake failed: TLS handshake timeout']);
  });

  it('with requestCert, refuses a client without a certificate and serves one with', async () => {
    const { ports, texts, errors } = await setup({
      udpPort: undefined,
      tcpPort: undefined,
      tlsPort: 0,
      tls: { key, cert, ca: cert, requestCert: true },
    });
    const anonymous = tls.connect({ host: KNOWN, port: ports.tlsPort!, ca: cert });
    anonymous.on('error', () => undefined);
    anonymous.write('<13>anonymous\n');
    await closed(anonymous);
    await waitFor(() => errors.length === 1);
    expect(errors[0].message).toContain('TLS handshake failed');
    const client = await connectTls(ports.tlsPort!, { key, cert });
    client.write('<13>with a certificate\n');
    await waitFor(() => texts().length === 1);
    expect(texts()).toEqual(['<13>with a certificate']);
    client.end();
  });
});
