import { createRemoteJWKSet, errors as joseErrors, jwtVerify, JWTVerifyGetKey, SignJWT } from 'jose';
import { jwksUrlProblem } from '@kanshi/config';
import { InvalidClaimsError, KanshiClaims, Principal } from './claims';

export type AuthSettings = (
  | { mode: 'hs256'; secret: string; issuer?: string; audience?: string }
  | { mode: 'jwks'; jwksUrl: string; issuer: string; audience: string }
) & {
  /** The longest a token may live, from its iat (or from now, without one) to its exp. */
  maxLifetimeSeconds?: number;
};

/** The longest token lifetime accepted unless configured otherwise (JWT_MAX_LIFETIME_SECONDS). */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

export const DEV_ISSUER = 'kanshi-dev';
export const DEV_AUDIENCE = 'kanshi';

// Verifies bearer tokens: HS256 with a shared secret in development, RS256/ES256 against the
// OIDC issuer's JWKS in production (keys are fetched and cached by jose, rotated by kid).
export class JwtVerifier {
  private readonly jwks?: JWTVerifyGetKey;
  private readonly secret?: Uint8Array;
  // Verified tokens until they expire: the gateway and every subgraph verify each request's
  // token, and a caller sends the same token many times. Bounded; the oldest entry goes first.
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();
  private static readonly CACHE_ENTRIES = 10000;

  constructor(private readonly settings: AuthSettings) {
    if (settings.mode === 'jwks') {
      const problem = jwksUrlProblem(settings.jwksUrl, false);
      if (problem) throw new Error(problem);
      if (!settings.audience) throw new Error('an audience is required to verify tokens against a JWKS (OIDC_AUDIENCE)');
    }
    if (settings.mode === 'jwks') this.jwks = createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: 30000, cacheMaxAge: 600000 });
    else this.secret = new TextEncoder().encode(settings.secret);
  }

  async verify(token: string): Promise<Principal> {
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.expiresAtMs > Date.now()) return hit.principal;
      this.verified.delete(token);
    }
    try {
      const options = {
        issuer: this.settings.issuer ?? (this.settings.mode === 'hs256' ? DEV_ISSUER : undefined),
        audience: this.settings.audience ?? (this.settings.mode === 'hs256' ? DEV_AUDIENCE : undefined),
        algorithms: this.settings.mode === 'hs256' ? ['HS256'] : ['RS256', 'ES256', 'PS256'],
        clockTolerance: 30,
        // a token without an expiry would be good forever
        requiredClaims: ['exp'],
      };
      const { payload } = this.jwks ? await jwtVerify(token, this.jwks, options) : await jwtVerify(token, this.secret!, options);
      const maxLifetime = this.settings.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
      const from = typeof payload.iat === 'number' ? payload.iat : Math.floor(Date.now() / 1000);
      if (payload.exp! - from > maxLifetime) {
        throw new AuthenticationError(`the token lives longer than the ${maxLifetime} s accepted (exp - iat = ${payload.exp! - from} s)`);
      }
      const principal = Principal.fromClaims(payload as Record<string, unknown>, token);
      if (typeof payload.exp === 'number') {
        if (this.verified.size >= JwtVerifier.CACHE_ENTRIES) this.verified.delete(this.verified.keys().next().value!);
        this.verified.set(token, { principal, expiresAtMs: payload.exp * 1000 });
      }
      return principal;
    } catch (err) {
      if (err instanceof AuthenticationError) throw err;
      if (err instanceof InvalidClaimsError) throw new AuthenticationError(err.message);
      if (err instanceof joseErrors.JWTExpired) throw new AuthenticationError('the token has expired');
      if (err instanceof joseErrors.JWTClaimValidationFailed) {
        throw new AuthenticationError(err.reason === 'missing' ? `the token has no ${err.claim} claim` : `the token's ${err.claim} claim is not accepted`);
      }
      if (err instanceof joseErrors.JOSEError) throw new AuthenticationError('the token is not valid');
      throw err;
    }
  }

  // Reads `Authorization: Bearer <token>`; a missing header is its own clear error.
  async verifyHeader(header: string | string[] | undefined): Promise<Principal> {
    const value = Array.isArray(header) ? header[0] : header;
    if (!value) throw new AuthenticationError('missing Authorization header (expected "Bearer <token>")');
    const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
    if (!match) throw new AuthenticationError('the Authorization header must be "Bearer <token>"');
    return this.verify(match[1]);
  }
}

export async function signDevToken(claims: KanshiClaims, secret: string, ttlSeconds = 12 * 3600): Promise<string> {
  const payload: Record<string, unknown> = { role: claims.role };
  if (claims.partnerId) payload.partnerId = claims.partnerId;
  if (claims.customerId) payload.customerId = claims.customerId;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** The verifier settings of a service's configuration (the platform's AUTH_* / OIDC_* / JWT_* variables). */
export function authSettingsOf(c: {
  AUTH_MODE: string;
  JWT_SECRET?: string;
  OIDC_JWKS_URL?: string;
  OIDC_ISSUER?: string;
  OIDC_AUDIENCE?: string;
  JWT_MAX_LIFETIME_SECONDS: number;
}): AuthSettings {
  return c.AUTH_MODE === 'jwks'
    ? { mode: 'jwks', jwksUrl: c.OIDC_JWKS_URL!, issuer: c.OIDC_ISSUER!, audience: c.OIDC_AUDIENCE!, maxLifetimeSeconds: c.JWT_MAX_LIFETIME_SECONDS }
    : { mode: 'hs256', secret: c.JWT_SECRET!, maxLifetimeSeconds: c.JWT_MAX_LIFETIME_SECONDS };
}
