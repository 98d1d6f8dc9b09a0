export { ROLES, PROVIDER_ROLES, PARTNER_ROLES, CUSTOMER_ROLES, Principal, InvalidClaimsError } from './claims';
export type { Role, KanshiClaims } from './claims';
export { JwtVerifier, AuthenticationError, signDevToken, DEV_ISSUER, DEV_AUDIENCE } from './jwt';
export type { AuthSettings } from './jwt';
export { scopeOf, canSeeCustomer, scopeCondition } from './tenant-scope';
export type { TenantScope, CustomerTenancy } from './tenant-scope';
export { AuthGuard, Public, Roles, CurrentPrincipal, CurrentScope, requestOf, unauthenticated, forbidden } from './guard';
