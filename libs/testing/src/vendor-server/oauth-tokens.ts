// OAuth2 client-credential tokens for vendor stand-ins (RFC 6749 §4.4, bearer use per RFC 6750),
// the flow the EDR consoles use: POST client id and secret (form body or HTTP Basic) to a token
// endpoint, get `{ access_token, token_type, expires_in }`, send `Authorization: Bearer`.
// Tests move the clock (`now`) or call expireTokensIssuedBefore() to make held tokens go stale.
import { randomBytes } from 'node:crypto';
import { RouteHandler, VendorRequest, VendorResponse, VendorResponseError, VendorServer } from './vendor.server';

export interface IssuedToken {
  token: string;
  clientId: string;
  scope: string | undefined;
  issuedAt: Date;
  expiresAt: Date;
}

export interface ClientCredentialsOptions {
  /** client id -> client secret. */
  clients: Record<string, string>;
  /** Lifetime announced in `expires_in`; 1800 s by default. */
  ttlSeconds?: number;
  /** Status of a successful token answer; 200 by default (some vendors answer 201). */
  tokenStatus?: number;
  now?: () => Date;
}

export class ClientCredentialsTokens {
  /** Every token issued, oldest first. */
  readonly issued: IssuedToken[] = [];
  private revokedBefore: Date | undefined;

  constructor(private readonly options: ClientCredentialsOptions) {}

  /** Adds the token endpoint (POST `path`) to `server`. */
  mount<Q, B>(server: VendorServer<Q, B>, path = '/oauth2/token'): void {
    server.post(path, (req) => this.tokenRequest(req));
  }

  /** Wraps a route so that it answers 401 unless the request carries a live token. */
  protect<Q, B>(handler: RouteHandler<Q, B>): RouteHandler<Q, B> {
    return (req) => {
      this.authorize(req);
      return handler(req);
    };
  }

  /** The live token the request carries; throws a 401 answer (RFC 6750 §3) otherwise. */
  authorize<Q, B>(req: VendorRequest<Q, B>): IssuedToken {
    const auth = req.authorization;
    if (!auth || auth.scheme !== 'Bearer' || !('token' in auth)) {
      throw new VendorResponseError({ status: 401, json: { error: 'unauthorized', error_description: 'Bearer token required' }, headers: { 'WWW-Authenticate': 'Bearer' } });
    }
    const found = this.issued.find((t) => t.token === auth.token);
    if (!found) throw invalidToken('The access token is invalid');
    const now = this.now();
    if (found.expiresAt.getTime() <= now.getTime() || (this.revokedBefore && found.issuedAt.getTime() < this.revokedBefore.getTime())) {
      throw invalidToken('The access token expired');
    }
    return found;
  }

  /** Tokens issued before `moment` (now by default) are answered 401 invalid_token from now on. */
  expireTokensIssuedBefore(moment: Date = this.now()): void {
    // Tokens issued in the same millisecond as `moment` count as earlier.
    this.revokedBefore = new Date(moment.getTime() + 1);
  }

  reset(): void {
    this.issued.length = 0;
    this.revokedBefore = undefined;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private tokenRequest<Q, B>(req: VendorRequest<Q, B>): VendorResponse {
    const form = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const field = (name: string): string | undefined => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const grantType = field('grant_type') ?? 'client_credentials';
    if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `grant_type ${grantType} is not supported`);
    const basic = req.authorization?.scheme === 'Basic' && 'user' in req.authorization ? req.authorization : undefined;
    const clientId = basic?.user ?? field('client_id');
    const secret = basic?.password ?? field('client_secret');
    if (!clientId || secret === undefined) return oauthError(400, 'invalid_request', 'client_id and client_secret are required');
    if (this.options.clients[clientId] !== secret) {
      const answer = oauthError(401, 'invalid_client', 'Client authentication failed');
      return basic ? { ...answer, headers: { ...answer.headers, 'WWW-Authenticate': 'Basic' } } : answer;
    }
    const ttl = this.options.ttlSeconds ?? 1800;
    const issuedAt = this.now();
    const token: IssuedToken = {
      token: randomBytes(24).toString('base64url'),
      clientId,
      scope: field('scope'),
      issuedAt,
      expiresAt: new Date(issuedAt.getTime() + ttl * 1000),
    };
    this.issued.push(token);
    return {
      status: this.options.tokenStatus ?? 200,
      json: { access_token: token.token, token_type: 'bearer', expires_in: ttl, ...(token.scope ? { scope: token.scope } : {}) },
      headers: { 'Cache-Control': 'no-store' },
    };
  }
}

function oauthError(status: number, error: string, description: string): VendorResponse {
  return { status, json: { error, error_description: description }, headers: { 'Cache-Control': 'no-store' } };
}

function invalidToken(description: string): VendorResponseError {
  return new VendorResponseError({
    status: 401,
    json: { error: 'invalid_token', error_description: description },
    headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"` },
  });
}
