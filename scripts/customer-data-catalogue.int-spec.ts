// Every table holding a customer_id is in its service's customer-data catalogue (purged when the
// customer's retention ends, or kept with a reason): a new table that is not fails here. And
// every table a catalogue names exists, with the column its purge filters on.
import { Client } from 'pg';
import { CustomerDataCatalogue } from '@kanshi/platform';
import { testDatabaseUrl } from '@kanshi/testing';
import { ANALYSIS_CUSTOMER_DATA } from '../services/analysis/src/customer-data.catalogue';
import { CONTRACTS_CUSTOMER_DATA } from '../services/contracts/src/customer-data.catalogue';
import { ENDPOINT_RESPONSE_CUSTOMER_DATA } from '../services/endpoint-response/src/customer-data.catalogue';
import { INCIDENT_CUSTOMER_DATA } from '../services/incident/src/customer-data.catalogue';
import { INGESTION_CUSTOMER_DATA } from '../services/ingestion/src/customer-data.catalogue';
import { REPORTING_CUSTOMER_DATA } from '../services/reporting/src/customer-data.catalogue';
import { SERVICES } from './services';

const CATALOGUES: Record<string, CustomerDataCatalogue> = {
  contracts: CONTRACTS_CUSTOMER_DATA,
  ingestion: INGESTION_CUSTOMER_DATA,
  analysis: ANALYSIS_CUSTOMER_DATA,
  incident: INCIDENT_CUSTOMER_DATA,
  'endpoint-response': ENDPOINT_RESPONSE_CUSTOMER_DATA,
  reporting: REPORTING_CUSTOMER_DATA,
};

let db: Client;
beforeAll(async () => {
  db = new Client({ connectionString: testDatabaseUrl() });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
});

// Tables (not partitions) of a schema, and whether each has a customer_id column.
async function tablesOf(schema: string): Promise<Map<string, boolean>> {
  const { rows } = await db.query<{ name: string; has: boolean }>(
    `SELECT n.nspname || '.' || c.relname AS name,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'customer_id' AND NOT a.attisdropped) AS has
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
    [schema],
  );
  return new Map(rows.map((r) => [r.name, r.has]));
}

describe('customer data catalogues', () => {
  it('has one for every service', () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual(SERVICES.map((s) => s.name).sort());
  });

  it.each(SERVICES.map((s) => [s.name, s.schema]))('%s lists every table with customer_id, purged or kept', async (name, schema) => {
    const tables = await tablesOf(schema);
    const catalogue = CATALOGUES[name];
    const listed = new Set([...catalogue.purge.map((p) => p.table), ...Object.keys(catalogue.keep)]);
    const missing = [...tables].filter(([t, has]) => has && !listed.has(t)).map(([t]) => t);
    expect({ service: name, notInCatalogue: missing }).toEqual({ service: name, notInCatalogue: [] });
    const unknown = [...listed].filter((t) => !tables.has(t));
    expect({ service: name, noSuchTable: unknown }).toEqual({ service: name, noSuchTable: [] });
    const noColumn = catalogue.purge.filter((p) => !p.where && !tables.get(p.table)).map((p) => p.table);
    expect({ service: name, purgedWithoutCustomerId: noColumn }).toEqual({ service: name, purgedWithoutCustomerId: [] });
  });

  it.each(SERVICES.map((s) => [s.name, s.schema]))("%s's purge statements are valid over its schema", async (name) => {
    await db.query('BEGIN');
    try {
      for (const t of CATALOGUES[name].purge) {
        const [schema, table] = t.table.split('.');
        await db.query(`DELETE FROM "${schema}"."${table}" WHERE ${t.where ?? 'customer_id = $1'}`, ['00000000-0000-4000-8000-000000000000']);
      }
    } finally {
      await db.query('ROLLBACK');
    }
  });
});
