export { ROLES, PROVIDER_ROLES, PARTNER_ROLES, CUSTOMER_ROLES, Principal, InvalidClaimsError } from './claims';
export type { Role, KanshiClaims } from './claims';
export { JwtVerifier, AuthenticationError, signDevToken, authSettingsOf, DEV_ISSUER, DEV_AUDIENCE, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './jwt';
export type { AuthSettings } from './jwt';
export { scopeOf, canSeeCustomer, scopeSql } from './tenant-scope';
export type { TenantScope, CustomerTenancy, PartnerCustomersTable } from './tenant-scope';
export { AccessError, CallableBy, ReferenceCallableBy, PERMISSION_KEY, authorize, definePermissions, forbidden, visibleCustomerOrThrow } from './access';
export type { Permission, CustomerLookup } from './access';
export { AuthGuard, Public, CurrentPrincipal, CurrentScope, requestOf, unauthenticated } from './guard';
