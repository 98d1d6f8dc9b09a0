import { Coalescer } from './coalescer';

describe('Coalescer', () => {
  it('runs the calls of one moment as one batch, answering each its own result', async () => {
    const batches: number[][] = [];
    const c = new Coalescer(
      async (xs: number[]) => {
        batches.push(xs);
        return xs.map((x) => x * 10);
      },
      { maxItems: 100, waitMs: 5 },
    );
    expect(await Promise.all([1, 2, 3].map((x) => c.add(x)))).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('runs at once when maxItems are waiting, one batch at a time; what came meanwhile is the next batch', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const c = new Coalescer(
      async (xs: number[]) => {
        batches.push(xs);
        if (batches.length === 1) await first;
        return xs;
      },
      { maxItems: 2, waitMs: 60_000 },
    );
    const a = [c.add(1), c.add(2)];
    const b = [c.add(3), c.add(4), c.add(5)];
    await new Promise((r) => setTimeout(r, 10));
    expect(batches).toEqual([[1, 2]]);
    release();
    expect(await Promise.all([...a, ...b])).toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects every call of a batch that failed, and carries on with the next', async () => {
    let fail = true;
    const c = new Coalescer(
      async (xs: string[]) => {
        if (fail) throw new Error('deadlock detected');
        return xs;
      },
      { maxItems: 10, waitMs: 0 },
    );
    const failed = await Promise.allSettled([c.add('a'), c.add('b')]);
    expect(failed.map((o) => o.status === 'rejected' && (o.reason as Error).message)).toEqual(['deadlock detected', 'deadlock detected']);
    fail = false;
    expect(await c.add('c')).toBe('c');
  });

  it('refuses a batch size under 1 and a negative wait', () => {
    expect(() => new Coalescer(async () => [], { maxItems: 0, waitMs: 1 })).toThrow('maxItems must be at least 1 (got 0)');
    expect(() => new Coalescer(async () => [], { maxItems: 1, waitMs: -1 })).toThrow('waitMs must be 0 or more (got -1)');
  });
});
