// A service's subgraph booted in process for its integration specs, on the run's real PostgreSQL
// and NATS, with consumers and the outbox relay off (so what a mutation wrote to the outbox stays
// there to be read). Specs of a run share one database: each makes its own tenants, never truncates.
import { randomUUID } from 'node:crypto';
import { DynamicModule } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { Role } from '@kanshi/auth';
import { createServiceApp } from '@kanshi/platform';
import { gqlRequest, GqlResult, tokenFor } from './gql-client';
import { testPlatformEnv } from './test-env';

export interface TenantIds {
  partnerId?: string;
  customerId?: string;
}

export interface SubgraphKit {
  app: NestFastifyApplication;
  graphqlUrl: string;
  ds: DataSource;
  // GraphQL as a role (a partner or customer role needs its id).
  gql<T = any>(role: Role, query: string, variables?: Record<string, unknown>, ids?: TenantIds): Promise<GqlResult<T>>;
  // Like gql, but a GraphQL error fails the test with its message.
  ok<T = any>(role: Role, query: string, variables?: Record<string, unknown>, ids?: TenantIds): Promise<T>;
  // A customer in the service's tenant directory, as contracts' customer.upserted would put it there.
  createCustomer(opts?: { partnerId?: string | null }): Promise<{ customerId: string; partnerId: string | null }>;
  // Events the service wrote to its outbox for one customer, oldest first.
  outbox(subject: string, customerId: string): Promise<{ eventId: string; customerId: string | null; body: any }[]>;
  close(): Promise<void>;
}

export async function startSubgraph<C extends { PORT: number }>(opts: {
  service: string;
  schema: string;
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  module: (config: C, opts: { startMessaging: boolean }) => DynamicModule;
}): Promise<SubgraphKit> {
  const config = opts.loadConfig(testPlatformEnv({ LOG_LEVEL: 'warn' }));
  const app = await createServiceApp(opts.module(config, { startMessaging: false }), { service: opts.service, port: 0 });
  await app.listen(0, '127.0.0.1');
  const graphqlUrl = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
  const ds = app.get(DataSource);
  const gql = async <T>(role: Role, query: string, variables: Record<string, unknown> = {}, ids: TenantIds = {}) => gqlRequest<T>(graphqlUrl, await tokenFor(role, ids), query, variables);
  return {
    app,
    graphqlUrl,
    ds,
    gql,
    async ok<T>(role: Role, query: string, variables: Record<string, unknown> = {}, ids: TenantIds = {}) {
      const r = await gql<T>(role, query, variables, ids);
      if (r.errors?.length) throw new Error(`GraphQL errors: ${r.errors.map((e) => `${String(e.extensions?.code)}: ${e.message}`).join('; ')}`);
      return r.data as T;
    },
    async createCustomer(o = {}) {
      const customerId = randomUUID();
      const partnerId = o.partnerId ?? null;
      await ds.query(`INSERT INTO "${opts.schema}".tenant_customer (customer_id, partner_id, name) VALUES ($1, $2, $3)`, [customerId, partnerId, `Customer ${customerId.slice(0, 8)}`]);
      return { customerId, partnerId };
    },
    async outbox(subject: string, customerId: string) {
      const rows: { payload: { eventId: string; customerId: string | null; body: unknown } }[] = await ds.query(
        `SELECT payload FROM "${opts.schema}".outbox WHERE subject = $1 AND payload->>'customerId' = $2 ORDER BY seq`,
        [subject, customerId],
      );
      return rows.map((r) => ({ eventId: r.payload.eventId, customerId: r.payload.customerId, body: r.payload.body }));
    },
    close: () => app.close(),
  };
}
