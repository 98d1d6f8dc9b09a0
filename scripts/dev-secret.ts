// Development only: the suite refuses hs256 in production (libs/config), so this secret can sign
// nothing that a production deployment accepts.
export const DEV_JWT_SECRET = 'kanshi-development-secret-not-for-production';

export function devSecret(env: NodeJS.ProcessEnv = process.env): string {
  return env.JWT_SECRET ?? DEV_JWT_SECRET;
}
