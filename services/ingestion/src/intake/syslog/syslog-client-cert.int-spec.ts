// Spoofed syslog: a TLS client certificate bound to a sensor attributes the connection to that
// sensor (and an unbound one to nobody), whatever its source address; a sensor can refuse UDP,
// whose source address anyone can forge. Certificates made with the openssl CLI in a temp dir.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { eventually, gqlOk, gqlRequest, tokenFor } from '@kanshi/testing';
import { bootIngestion, createCustomer, freePort, registerSensor, TestService } from '../../int-spec-helpers';

jest.setTimeout(120_000);

const LINE = (attack: string) => `<185>date=2026-11-21 time=10:00:00 devid="FG100A" logid="0419016384" type="utm" subtype="ips" level="alert" srcip=10.0.0.1 dstip=192.0.2.1 action="dropped" attack="${attack}" incidentserialno=7\n`;
const UPDATE = 'mutation($id: ID!, $i: UpdateSensorSettingsInput!) { updateSensorSettings(sensorId: $id, input: $i) { clientCertFingerprints acceptUdp } }';

let dir: string;
let svc: TestService;
let ports: { tls: number; udp: number };

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

// a CA, a server certificate for 127.0.0.1 and client certificates, all signed by the CA
function makeCertificates(): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Kanshi test CA');
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
  for (const name of ['fw-a', 'fw-other']) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2');
  }
}

const file = (name: string) => readFileSync(path.join(dir, name));
const fingerprint = (name: string) => new X509Certificate(file(`${name}.pem`)).fingerprint256;

function sendTls(client: string, payload: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: ports.tls, ca: file('ca.pem'), cert: file(`${client}.pem`), key: file(`${client}.key`) }, () => socket.end(payload));
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kanshi-client-cert-'));
  makeCertificates();
  ports = { tls: await freePort(), udp: await freePort('udp') };
  svc = await bootIngestion({
    SYSLOG_HOST: '127.0.0.1',
    SYSLOG_TLS_PORT: String(ports.tls),
    SYSLOG_UDP_PORT: String(ports.udp),
    SYSLOG_TLS_CERT_PATH: path.join(dir, 'server.pem'),
    SYSLOG_TLS_KEY_PATH: path.join(dir, 'server.key'),
    SYSLOG_TLS_CA_PATH: path.join(dir, 'ca.pem'),
  });
});
afterAll(async () => {
  await svc?.close();
});

const alerts = (sensorId: string): Promise<{ rule_name: string }[]> => svc.ds.query(`SELECT rule_name FROM ingestion.alert WHERE sensor_id = $1 ORDER BY rule_name`, [sensorId]);

describe('TLS client certificates and UDP refusal', () => {
  it("attributes a TLS connection by its client certificate's binding, never by the address it comes from", async () => {
    const a = await createCustomer(svc);
    const b = await createCustomer(svc);
    const sensorA = await registerSensor(svc, a.customerId);
    // B's device is registered by the address the test connects from: the certificate still wins
    const sensorB = await registerSensor(svc, b.customerId, { allowedSourceIps: ['127.0.0.1'] });

    // binding a certificate is provider staff's decision
    const asked = await gqlRequest(svc.graphql, await tokenFor('customer_admin', { customerId: a.customerId }), UPDATE, { id: sensorA.sensorId, i: { clientCertFingerprints: [fingerprint('fw-a')] } });
    expect(asked.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'BINDING_NEEDS_APPROVAL', field: 'clientCertFingerprints' } });
    const bound = await gqlOk<{ updateSensorSettings: { clientCertFingerprints: string[] } }>(svc.graphql, await tokenFor('provider_admin'), UPDATE, {
      id: sensorA.sensorId,
      i: { clientCertFingerprints: [fingerprint('fw-a').replace(/:/g, '').toLowerCase()] },
    });
    expect(bound.updateSensorSettings.clientCertFingerprints).toEqual([fingerprint('fw-a')]);

    await sendTls('fw-a', LINE('Cert.Bound'));
    await eventually(async () => expect(await alerts(sensorA.sensorId)).toEqual([{ rule_name: 'Cert.Bound' }]));

    // a certificate the CA signed but no sensor is bound to: nobody's, although 127.0.0.1 is B's address
    await sendTls('fw-other', LINE('Cert.Unbound'));
    await eventually(async () => {
      const q = await svc.ds.query(`SELECT sensor_id FROM ingestion.quarantine WHERE transport = 'tls' AND convert_from(raw, 'UTF8') LIKE '%Cert.Unbound%'`);
      expect(q).toEqual([{ sensor_id: null }]);
    });
    expect(await alerts(sensorB.sensorId)).toEqual([]);
  });

  it('lets a sensor refuse UDP: its datagrams go to quarantine with the reason, nothing is stored as its events', async () => {
    const c = await createCustomer(svc);
    const sensor = await registerSensor(svc, c.customerId, { allowedSourceIps: ['127.0.0.41'] });
    const set = await gqlOk<{ updateSensorSettings: { acceptUdp: boolean } }>(svc.graphql, await tokenFor('customer_admin', { customerId: c.customerId }), UPDATE, { id: sensor.sensorId, i: { acceptUdp: false } });
    expect(set.updateSensorSettings.acceptUdp).toBe(false);

    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.41', () => resolve()));
    await new Promise<void>((resolve, reject) => socket.send(LINE('Udp.Forged'), ports.udp, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve) => socket.close(() => resolve()));

    await eventually(async () => {
      const q: { reason: string }[] = await svc.ds.query(`SELECT reason FROM ingestion.quarantine WHERE sensor_id = $1`, [sensor.sensorId]);
      expect(q.map((r) => r.reason)).toEqual([expect.stringContaining('refuses syslog over UDP')]);
    });
    expect(await svc.ds.query(`SELECT 1 FROM ingestion.raw_event WHERE sensor_id = $1`, [sensor.sensorId])).toEqual([]);
  });
});
