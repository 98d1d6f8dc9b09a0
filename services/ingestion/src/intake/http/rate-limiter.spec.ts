import { RateLimiter } from './rate-limiter';

function setup(rate = 100, burst = 1000) {
  let now = 0;
  const sut = new RateLimiter(rate, burst, () => now);
  return { sut, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter', () => {
  it('lets a sensor send its burst, then refuses with the seconds until its debt is paid', () => {
    const { sut, advance } = setup();
    expect(sut.take('s1', 600)).toEqual({ ok: true });
    // 400 left: a batch larger than what is left still passes and leaves a debt of 800
    expect(sut.take('s1', 1200)).toEqual({ ok: true });
    expect(sut.take('s1', 1)).toEqual({ ok: false, retryAfterSeconds: 9 });
    advance(8000);
    expect(sut.take('s1', 1)).toEqual({ ok: false, retryAfterSeconds: 1 });
    advance(1100);
    expect(sut.take('s1', 1)).toEqual({ ok: true });
  });

  it('keeps one bucket per sensor', () => {
    const { sut } = setup(10, 10);
    expect(sut.take('noisy', 50)).toEqual({ ok: true });
    expect(sut.take('noisy', 1).ok).toBe(false);
    expect(sut.take('quiet', 1)).toEqual({ ok: true });
  });

  it('refills to the burst and no further', () => {
    const { sut, advance } = setup(100, 200);
    sut.take('s', 200);
    advance(60_000);
    expect(sut.take('s', 200)).toEqual({ ok: true });
    expect(sut.take('s', 1).ok).toBe(false);
  });
});
