// Development only: the suite refuses hs256 in production (libs/config), so this secret can sign
// nothing that a production deployment accepts.
export const DEV_JWT_SECRET = 'kanshi-development-secret-not-for-production';

export function devSecret(env: NodeJS.ProcessEnv = process.env): string {
  return env.JWT_SECRET ?? DEV_JWT_SECRET;
}

// The gateway's credential towards the subgraphs in development: the same for `npm start` and
// `npm run dev`, so a gateway or service restarted in watch mode talks to the rest.
export const DEV_SUBGRAPH_SECRET = 'kanshi-development-subgraph-secret-not-for-production';

export function devSubgraphSecret(env: NodeJS.ProcessEnv = process.env): string {
  return env.SUBGRAPH_SECRET ?? DEV_SUBGRAPH_SECRET;
}
