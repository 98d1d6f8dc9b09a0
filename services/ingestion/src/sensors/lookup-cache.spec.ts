import { LookupCache } from './lookup-cache';

function setup(ttlMs = 1_000, maxEntries = 10) {
  let now = 0;
  const sut = new LookupCache<string | null>(ttlMs, maxEntries, () => now);
  const calls: string[] = [];
  const load = (key: string, answer: string | null = `sensor-of-${key}`) => () => {
    calls.push(key);
    return Promise.resolve(answer);
  };
  return { sut, calls, load, advance: (ms: number) => (now += ms) };
}

describe('LookupCache', () => {
  it('asks once while the answer is fresh, "nothing found" included, and shares a lookup in flight', async () => {
    const { sut, calls, load } = setup();
    const [a, b] = await Promise.all([sut.get('10.0.0.1', load('10.0.0.1')), sut.get('10.0.0.1', load('10.0.0.1'))]);
    expect([a, b]).toEqual(['sensor-of-10.0.0.1', 'sensor-of-10.0.0.1']);
    expect(await sut.get('10.0.0.9', load('10.0.0.9', null))).toBeNull();
    expect(await sut.get('10.0.0.9', load('10.0.0.9', null))).toBeNull();
    expect(calls).toEqual(['10.0.0.1', '10.0.0.9']);
  });

  it('answers peek without a promise once a lookup has settled, until the answer expires', async () => {
    const { sut, load, advance } = setup(1_000);
    expect(sut.peek('10.0.0.1')).toBeUndefined();
    const pending = sut.get('10.0.0.1', load('10.0.0.1'));
    expect(sut.peek('10.0.0.1')).toBeUndefined();
    await pending;
    expect(sut.peek('10.0.0.1')).toEqual({ value: 'sensor-of-10.0.0.1' });
    advance(1_000);
    expect(sut.peek('10.0.0.1')).toBeUndefined();
  });

  it('asks again after the TTL, after clear() (a sensor changed) and after a failed lookup', async () => {
    const { sut, calls, load, advance } = setup(1_000);
    await sut.get('a', load('a'));
    advance(1_000);
    await sut.get('a', load('a'));
    sut.clear();
    expect(sut.peek('a')).toBeUndefined();
    await sut.get('a', load('a'));
    await expect(sut.get('b', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await sut.get('b', load('b'))).toBe('sensor-of-b');
    expect(calls).toEqual(['a', 'a', 'a', 'b']);
  });

  it('stays bounded, forgetting the oldest answer first', async () => {
    const { sut, calls, load } = setup(1_000, 2);
    await sut.get('a', load('a'));
    await sut.get('b', load('b'));
    await sut.get('c', load('c'));
    expect(sut.peek('a')).toBeUndefined();
    expect(sut.peek('b')).toEqual({ value: 'sensor-of-b' });
    expect(sut.peek('c')).toEqual({ value: 'sensor-of-c' });
    expect(calls).toEqual(['a', 'b', 'c']);
  });
});
