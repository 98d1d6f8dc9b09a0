export { TEST_JWT_SECRET, cloneDatabase, isolatedDatabaseUrl, testDatabaseUrl, testNamespace, testNatsUrl, testPlatformEnv, testPlatformConfig, truncate, eventually } from './test-env';
export { gqlRequest, gqlOk, tokenFor } from './gql-client';
export type { GqlResult } from './gql-client';
export { FakeStripeServer, stripeSignatureHeader, badStripeSignatureHeader, buildStripeEvent } from './fake-stripe.server';
export type { FakeStripeInvoice, FakeStripeCustomer, SentWebhook } from './fake-stripe.server';
export { startSubgraph } from './subgraph-kit';
export type { SubgraphKit, TenantIds } from './subgraph-kit';
