import { principalAs } from '@kanshi/testing';
import { RenderFailuresRepository } from './render-failures.repository';
import { RenderFailures } from './render-failures.service';

function setup() {
  const repo = { record: jest.fn(async () => undefined), resolve: jest.fn(async () => undefined), open: jest.fn(async () => []) };
  return { sut: new RenderFailures(repo as unknown as RenderFailuresRepository), ctx: { repo } };
}
const ref = { jobKey: 'billing-document:e1', kind: 'QUOTE' as const, customerId: 'c1', request: { eventId: 'e1' } };

describe('RenderFailures.track', () => {
  it('lets a failed attempt with retries left be retried, without listing it', async () => {
    const { sut, ctx } = setup();
    await expect(sut.track({ id: 'j', retryCount: 1, retryLimit: 5 }, ref, () => Promise.reject(new Error('RENDER_TIMEOUT')))).rejects.toThrow('RENDER_TIMEOUT');
    expect(ctx.repo.record).not.toHaveBeenCalled();
  });

  it('lists the last failed attempt with its error and attempts, and still fails the job', async () => {
    const { sut, ctx } = setup();
    await expect(sut.track({ id: 'j', retryCount: 5, retryLimit: 5 }, ref, () => Promise.reject(new Error('chromium crashed')))).rejects.toThrow('chromium crashed');
    expect(ctx.repo.record).toHaveBeenCalledWith(ref, 'chromium crashed', 6);
  });

  it('clears the job key once an attempt succeeds', async () => {
    const { sut, ctx } = setup();
    expect(await sut.track({ id: 'j', retryCount: 0, retryLimit: 5 }, ref, async () => 'ok')).toBe('ok');
    expect(ctx.repo.resolve).toHaveBeenCalledWith(ref.jobKey);
  });
});

describe('RenderFailures.list', () => {
  it('is for provider staff only', async () => {
    const { sut } = setup();
    await expect(sut.list(principalAs('customer_admin', { customerId: 'c1' }))).rejects.toMatchObject({ kind: 'FORBIDDEN' });
    await expect(sut.list(principalAs('partner_admin', { partnerId: 'p1' }))).rejects.toMatchObject({ kind: 'FORBIDDEN' });
    await expect(sut.list(principalAs('analyst'))).resolves.toEqual([]);
  });
});
