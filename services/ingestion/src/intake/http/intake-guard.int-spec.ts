// HTTPS intake checks the token from the headers before reading a body (up to 10 MiB), and reads
// at most INGEST_MAX_CONCURRENT_BODIES bodies at once.
import http from 'node:http';
import { bootIngestion, createCustomer, registerSensor, TestService } from '../../int-spec-helpers';

jest.setTimeout(60_000);

let svc: TestService;
let sensor: { sensorId: string; token: string };
beforeAll(async () => {
  svc = await bootIngestion({ INGEST_MAX_CONCURRENT_BODIES: '1' });
  const c = await createCustomer(svc);
  sensor = await registerSensor(svc, c.customerId, { product: 'GENERIC_JSON' });
});
afterAll(async () => {
  await svc?.close();
});

const LINE = '{"message":"hello","severity":"info"}\n';

// A POST whose body is announced long but only begun: the answer must not wait for the rest.
function startUpload(token: string): { req: http.ClientRequest; response: Promise<{ status: number; retryAfter?: string; body: string }> } {
  const url = new URL(`${svc.url}/ingest/v1/sensors/${sensor.sensorId}/events`);
  const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'content-length': String(LINE.length * 1000) } });
  const response = new Promise<{ status: number; retryAfter?: string; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body }));
    });
    req.on('error', reject);
  });
  req.write(LINE);
  return { req, response };
}

const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<'no answer'>((r) => setTimeout(() => r('no answer'), ms))]);

describe('HTTPS intake guard', () => {
  it('answers a wrong token with 401 before the body has arrived', async () => {
    const { req, response } = startUpload('kst_wrong');
    const answer = await within(response, 3000);
    req.destroy();
    expect(answer).toMatchObject({ status: 401 });
  });

  it('answers 503 with Retry-After when the replica already reads its maximum of bodies, and takes the first one whole', async () => {
    const first = startUpload(sensor.token);
    await new Promise((r) => setTimeout(r, 300));
    const second = startUpload(sensor.token);
    const answer = await within(second.response, 3000);
    second.req.destroy();
    expect(answer).toMatchObject({ status: 503, retryAfter: '1' });

    first.req.end(LINE.repeat(999));
    expect(await first.response).toMatchObject({ status: 200 });
    // the slot is free again
    const res = await fetch(`${svc.url}/ingest/v1/sensors/${sensor.sensorId}/events`, { method: 'POST', headers: { authorization: `Bearer ${sensor.token}`, 'content-type': 'application/x-ndjson' }, body: LINE });
    expect(res.status).toBe(200);
  });
});
