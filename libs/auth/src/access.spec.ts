import { AccessError, authorize, definePermissions, visibleCustomerOrThrow } from './access';
import { Principal } from './claims';

const PARTNER = '5b0f3f4e-6a37-4c55-9d0c-1f1f1f1f1f1f';
const OWN = '0d9a2b1c-1111-4c55-9d0c-aaaaaaaaaaaa';
const OTHER = '0d9a2b1c-2222-4c55-9d0c-bbbbbbbbbbbb';
const principal = (role: string, extra: Record<string, string> = {}) => Principal.fromClaims({ sub: 'u1', role, ...extra }, 'token');
const directory = {
  lookup: async (id: string) => (id === OWN ? { customerId: OWN, partnerId: PARTNER } : id === OTHER ? { customerId: OTHER, partnerId: null } : null),
};

const Permissions = definePermissions({ manageQuotes: { action: 'manage quotes', roles: ['provider_admin', 'sales', 'partner_admin'] } });

describe('authorize', () => {
  it('lets the listed roles through and names role and action to the others', () => {
    expect(() => authorize(principal('sales'), Permissions.manageQuotes)).not.toThrow();
    const err = (() => {
      try {
        authorize(principal('analyst'), Permissions.manageQuotes);
      } catch (e) {
        return e;
      }
    })();
    expect(AccessError.is(err, 'FORBIDDEN')).toBe(true);
    expect(err).toMatchObject({ kind: 'FORBIDDEN', message: 'role analyst may not manage quotes' });
  });
});

describe('visibleCustomerOrThrow', () => {
  it('returns the customer to provider staff, its partner and itself', async () => {
    await expect(visibleCustomerOrThrow(directory, principal('analyst'), OTHER)).resolves.toEqual({ customerId: OTHER, partnerId: null });
    await expect(visibleCustomerOrThrow(directory, principal('partner_admin', { partnerId: PARTNER }), OWN)).resolves.toMatchObject({ customerId: OWN });
    await expect(visibleCustomerOrThrow(directory, principal('customer_viewer', { customerId: OWN }), OWN)).resolves.toMatchObject({ customerId: OWN });
  });

  it("answers another tenant's customer exactly like a missing or malformed one", async () => {
    const partner = principal('partner_admin', { partnerId: PARTNER });
    const errors = await Promise.all(
      [OTHER, '00000000-0000-4000-8000-000000000000', 'not-a-uuid'].map((id) => visibleCustomerOrThrow(directory, partner, id, 'input.customerId').catch((e: unknown) => e)),
    );
    for (const [i, err] of errors.entries()) {
      expect(AccessError.is(err, 'CUSTOMER_NOT_FOUND')).toBe(true);
      expect(err).toMatchObject({ kind: 'NOT_FOUND', field: 'input.customerId', message: `customer ${[OTHER, '00000000-0000-4000-8000-000000000000', 'not-a-uuid'][i]} not found` });
    }
  });
});
