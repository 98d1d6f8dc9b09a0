import { principalAs } from '@kanshi/testing';
import { AuditEntryRow, AuditRepository, AuditTrailQuery, DataPurgeRow } from './audit.repository';
import { AuditService } from './audit.service';

const A = '5d0b7ad1-7c3f-4d61-9a4f-2f1d9a0e8b11';
const B = '3f1c2a4e-8a55-4c55-9c1e-6f7b0c1d2e3f';

function entry(id: string, customerIds: string[]): AuditEntryRow {
  return { id, at: new Date('2027-01-01T00:00:00Z'), actorId: 'x', actorRole: 'analyst', actorPartnerId: null, service: 'ingestion', operationType: 'query', operationName: null, fields: [], fieldPaths: [], customerIds, clientIp: null };
}

function setup(rows: AuditEntryRow[] = [entry('11111111-1111-4111-8111-111111111111', [A, B])]) {
  const queries: AuditTrailQuery[] = [];
  const repo = {
    page: async (q: AuditTrailQuery) => {
      queries.push(q);
      return rows;
    },
    purges: async (): Promise<DataPurgeRow[]> => [],
  } as unknown as AuditRepository;
  return { sut: new AuditService(repo), ctx: { queries } };
}

describe('AuditService', () => {
  it('gives the provider admin every entry as filtered', async () => {
    const { sut, ctx } = setup();
    const page = await sut.trail(principalAs('provider_admin'), { filter: { customerId: A }, first: 10 });
    expect(ctx.queries[0]).toMatchObject({ onlyCustomerId: undefined, customerId: A });
    expect(page.edges[0].node.customerIds).toEqual([A, B]);
  });

  it("restricts a customer admin to its own customer and hides the other customers' ids", async () => {
    const { sut, ctx } = setup();
    const page = await sut.trail(principalAs('customer_admin', { customerId: A }), { filter: { customerId: B } });
    expect(ctx.queries[0]).toMatchObject({ onlyCustomerId: A, customerId: B });
    expect(page.edges[0].node.customerIds).toEqual([A]);
  });

  it.each(['analyst', 'engineer', 'sales', 'partner_admin', 'customer_viewer'] as const)('refuses %s, reading nothing', async (role) => {
    const { sut, ctx } = setup();
    await expect(sut.trail(principalAs(role, { partnerId: B, customerId: A }), {})).rejects.toMatchObject({ kind: 'FORBIDDEN' });
    expect(ctx.queries).toEqual([]);
  });

  it('refuses data purges to everyone but the provider admin', async () => {
    const { sut } = setup();
    await expect(sut.purges(principalAs('customer_admin', { customerId: A }), {})).rejects.toMatchObject({ kind: 'FORBIDDEN' });
    await expect(sut.purges(principalAs('provider_admin'), {})).resolves.toMatchObject({ edges: [] });
  });

  it('rejects a cursor this API did not make, naming after', async () => {
    const { sut } = setup();
    const forged = Buffer.from(JSON.stringify(['2027-01-01T00:00:00Z', 'not-a-uuid'])).toString('base64url');
    await expect(sut.trail(principalAs('provider_admin'), { after: forged })).rejects.toMatchObject({ kind: 'BAD_USER_INPUT', field: 'after' });
  });
});
