import { signDevToken, Role } from '@kanshi/auth';
import { TEST_JWT_SECRET } from './test-env';

export interface GqlResult<T> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export async function gqlRequest<T = Record<string, any>>(url: string, token: string | null, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GqlResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GqlResult<T>, 'status'>;
  return { status: res.status, ...body };
}

// Like gqlRequest, but a GraphQL error fails the test with its message.
export async function gqlOk<T = Record<string, any>>(url: string, token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await gqlRequest<T>(url, token, query, variables);
  if (r.errors?.length) throw new Error(`GraphQL errors: ${r.errors.map((e) => `${String(e.extensions?.code)}: ${e.message}`).join('; ')}`);
  return r.data as T;
}

export function tokenFor(role: Role, ids: { customerId?: string; partnerId?: string; sub?: string } = {}, secret = TEST_JWT_SECRET): Promise<string> {
  return signDevToken({ sub: ids.sub ?? `test-${role}`, role, customerId: ids.customerId, partnerId: ids.partnerId }, secret, 3600);
}
