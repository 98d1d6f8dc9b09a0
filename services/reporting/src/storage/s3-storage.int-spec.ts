// REPORT_STORAGE=s3 end to end on the real PostgreSQL, NATS and Chromium, against a local
// S3-compatible store that verifies every request's SigV4 signature and answers S3's XML errors:
// the PDF goes to the bucket under a key that names neither tenant nor report, its sha256 and
// metadata stay in PostgreSQL, the signed download URL serves it (checked against the sha256),
// a regenerated report keeps the earlier version's object, a tampered object is refused, and a
// store that refuses the service's secret neither loses the request nor fails silently.
import { createHash, randomUUID } from 'node:crypto';
import { ManualClock } from '@kanshi/calendar';
import { eventually, FakeS3Server, isolatedDatabaseUrl } from '@kanshi/testing';
import { ReportingKit, startReporting } from '../int-spec-helpers';
import { applied, seedCustomerMonth } from '../testing/month-of-facts';
import { pdfText } from '../testing/pdf-text';

jest.setTimeout(240_000);

const BUCKET = 'kanshi-reports';
const KEY_ID = 'AKIAKANSHIREPORTING1';
const SECRET = 'reporting/s3/secret/for/the/int/spec/0000';
const clock = new ManualClock(new Date('2026-12-15T03:00:00Z'));
let s3: FakeS3Server;
let kit: ReportingKit;
let customer: { customerId: string };

beforeAll(async () => {
  s3 = new FakeS3Server({ buckets: [BUCKET], region: 'ap-northeast-1', keys: { [KEY_ID]: SECRET } });
  await s3.start();
  kit = await startReporting({
    clock,
    jobs: true,
    env: {
      // A database of its own: this replica's job queue must not take other specs' report jobs
      // (it would keep their PDFs in this spec's bucket).
      DATABASE_URL: await isolatedDatabaseUrl(),
      PUBLIC_PORT: '0',
      REPORT_STORAGE: 's3',
      REPORT_S3_ENDPOINT: s3.url,
      REPORT_S3_BUCKET: BUCKET,
      REPORT_S3_REGION: 'ap-northeast-1',
      REPORT_S3_ACCESS_KEY_ID: KEY_ID,
      REPORT_S3_SECRET_ACCESS_KEY: SECRET,
      REPORT_S3_PATH_STYLE: 'true',
      REPORT_BROWSERS: '1',
      REPORT_RENDER_TIMEOUT_MS: '120000',
    },
  });
  customer = await kit.createCustomer();
  await applied(kit, (await seedCustomerMonth(kit, customer.customerId)).events);
});
afterAll(async () => {
  await kit?.close();
  await s3?.stop();
});

const GENERATE = `mutation($customerId: ID!, $month: String!) { generateMonthlyReport(customerId: $customerId, month: $month) { id version sha256 } }`;
const LIST = `query($customerId: ID) { reports(customerId: $customerId, kind: MONTHLY) { id version period sha256 sizeBytes downloadUrl } }`;
type Listed = { id: string; version: number; period: string; sha256: string; sizeBytes: number; downloadUrl: string };
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const rowOf = async (id: string) =>
  (await kit.ds.query(`SELECT storage, storage_key, sha256, size_bytes, customer_id, kind, version FROM reporting.report WHERE id = $1`, [id]))[0] as {
    storage: string;
    storage_key: string;
    sha256: string;
    size_bytes: number;
    customer_id: string;
    kind: string;
    version: number;
  };
const listed = async () => (await kit.ok<{ reports: Listed[] }>('customer_admin', LIST, {}, customer)).reports;
async function download(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

describe('PDFs in an S3-compatible store', () => {
  let first: { id: string; version: number; sha256: string };

  it('uploads the PDF signed, under a key naming neither tenant nor report, keeps its sha256 and metadata in PostgreSQL, and serves it through the signed URL', async () => {
    first = (await kit.ok('customer_admin', GENERATE, { customerId: customer.customerId, month: '2026-11' }, customer)).generateMonthlyReport;
    const row = await rowOf(first.id);
    expect(row).toMatchObject({ storage: 's3', customer_id: customer.customerId, kind: 'MONTHLY', sha256: first.sha256 });
    expect(row.storage_key).toMatch(/^reports\/[A-Za-z0-9_-]{43}\.pdf$/);
    expect(row.storage_key).not.toContain(customer.customerId);
    expect(row.storage_key).not.toContain(first.id);
    expect(await kit.ds.query(`SELECT 1 FROM reporting.report_pdf WHERE report_id = $1`, [first.id])).toEqual([]);

    const object = s3.object(BUCKET, row.storage_key)!;
    expect(sha256(object.body)).toBe(row.sha256);
    expect(object.body.length).toBe(row.size_bytes);
    expect(object.contentType).toBe('application/pdf');
    const put = s3.requests.find((r) => r.method === 'PUT' && r.path === `/${BUCKET}/${row.storage_key}`)!;
    expect(put).toMatchObject({ status: 200 });
    expect(put.headers['content-md5']).toBe(createHash('md5').update(object.body).digest('base64'));
    expect(put.headers['x-amz-content-sha256']).toBe(row.sha256);

    const [report] = await listed();
    expect(report).toMatchObject({ id: first.id, sha256: row.sha256, sizeBytes: row.size_bytes });
    const got = await download(report.downloadUrl);
    expect(got.status).toBe(200);
    expect(sha256(got.body)).toBe(row.sha256);
    expect(s3.requests.some((r) => r.method === 'GET' && r.path === `/${BUCKET}/${row.storage_key}` && r.status === 200)).toBe(true);
    expect(await pdfText(got.body)).toContain('月次報告書 2026年11月');
  });

  it('keeps the earlier version’s object when the report is made again', async () => {
    const second = (await kit.ok('analyst', GENERATE, { customerId: customer.customerId, month: '2026-11' })).generateMonthlyReport;
    expect(second.version).toBe(first.version + 1);
    const [a, b] = [await rowOf(first.id), await rowOf(second.id)];
    expect(b.storage_key).not.toBe(a.storage_key);
    expect(sha256(s3.object(BUCKET, a.storage_key)!.body)).toBe(a.sha256);
    expect(sha256(s3.object(BUCKET, b.storage_key)!.body)).toBe(b.sha256);
    const urls = new Map((await listed()).map((r) => [r.id, r.downloadUrl]));
    for (const r of [a, b]) {
      const id = r === a ? first.id : second.id;
      const got = await download(urls.get(id)!);
      expect([id, got.status, sha256(got.body)]).toEqual([id, 200, r.sha256]);
    }
  });

  it('refuses an object changed in the bucket (its bytes no longer match the stored sha256), and a deleted one', async () => {
    const row = await rowOf(first.id);
    const url = (await listed()).find((r) => r.id === first.id)!.downloadUrl;
    const original = s3.object(BUCKET, row.storage_key)!.body;
    const forged = Buffer.from(original);
    forged.write('%PDF-1.4 forged', 0);
    s3.tamper(BUCKET, row.storage_key, forged);
    const tampered = await download(url);
    expect(tampered.status).toBe(500);
    expect(tampered.body.toString()).toBe('the report cannot be read');
    s3.deleteObject(BUCKET, row.storage_key);
    expect((await download(url)).status).toBe(500);
  });
});

describe('switching an installation from PostgreSQL to S3', () => {
  it('still serves a report stored in PostgreSQL before the switch', async () => {
    const id = randomUUID();
    const pdf = Buffer.from(`%PDF-1.4\n% kept in PostgreSQL before the switch ${id}\n%%EOF\n`);
    await kit.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO reporting.report (id, customer_id, kind, title, language, period, subject_ref, version, provisional, metadata, sha256, size_bytes, storage, storage_key)
         VALUES ($1::uuid, $2, 'MONTHLY', '月次報告書 2026年09月', 'ja', '2026-09', $3, 1, false, '{}', $4, $5, 'postgres', $1::text)`,
        [id, customer.customerId, `${customer.customerId}/2026-09`, sha256(pdf), pdf.length],
      );
      await em.query(`INSERT INTO reporting.report_pdf (report_id, pdf) VALUES ($1, $2)`, [id, pdf]);
    });
    const got = await download((await listed()).find((r) => r.id === id)!.downloadUrl);
    expect(got.status).toBe(200);
    expect(got.body.equals(pdf)).toBe(true);
  });
});

describe('a store that refuses the service’s secret', () => {
  it('answers STORAGE_RETRYING naming SignatureDoesNotMatch and the setting, saves nothing, and makes the report once the store accepts the key again', async () => {
    const october = async () => kit.ds.query(`SELECT id, storage_key, sha256 FROM reporting.report WHERE customer_id = $1 AND kind = 'MONTHLY' AND period = '2026-10'`, [customer.customerId]);
    // The store's secret for the key was rotated; the service still signs with the old one.
    s3.setKey(KEY_ID, 'rotated/secret/the/service/does/not/have/yet');
    const r = await kit.gql('customer_admin', GENERATE, { customerId: customer.customerId, month: '2026-10' }, customer);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'UNAVAILABLE', reason: 'STORAGE_RETRYING' });
    expect(r.errors?.[0].message).toContain('403 SignatureDoesNotMatch');
    expect(r.errors?.[0].message).toContain('check REPORT_S3_SECRET_ACCESS_KEY');
    expect(s3.requests.filter((q) => q.method === 'PUT' && q.status === 403).length).toBeGreaterThan(0);
    expect(await october()).toEqual([]);

    // The request was queued: once the store takes the service's key again, the retry makes it.
    s3.setKey(KEY_ID, SECRET);
    const [made] = await eventually(
      async () => {
        await kit.ds.query(`UPDATE reporting_jobs.job SET start_after = now() WHERE name = 'monthly-report' AND state = 'retry'`);
        const rows = await october();
        expect(rows).toHaveLength(1);
        return rows;
      },
      { timeoutMs: 150_000, intervalMs: 1000 },
    );
    expect(sha256(s3.object(BUCKET, made.storage_key)!.body)).toBe(made.sha256);
    const url = (await listed()).find((x) => x.id === made.id)!.downloadUrl;
    expect((await download(url)).status).toBe(200);
  });
});
