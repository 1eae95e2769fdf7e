import { SlidingWindowThrottlerStorage } from './sliding-window-throttler.storage';

describe('SlidingWindowThrottlerStorage', () => {
  const MINUTE = 60_000;
  let now = 0;
  const storage = () => new SlidingWindowThrottlerStorage(() => now);
  const hit = (s: SlidingWindowThrottlerStorage, key = 'client:a', limit = 3) => s.increment(key, MINUTE, limit, MINUTE, 'default');

  beforeEach(() => (now = 10 * MINUTE));

  it('allows `limit` hits in a window, then blocks for the block duration with the time left', async () => {
    const s = storage();
    for (let i = 1; i <= 3; i++) expect(await hit(s)).toMatchObject({ totalHits: i, isBlocked: false });
    const refused = await hit(s);
    expect(refused).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    now += 30_000;
    expect(await hit(s)).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    now += 30_000;
    // The block ran out: counted afresh.
    expect(await hit(s)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('counts per key and per throttler', async () => {
    const s = storage();
    for (let i = 0; i < 3; i++) await hit(s, 'client:a');
    expect(await hit(s, 'client:b')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await s.increment('client:a', MINUTE, 3, MINUTE, 'public')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('slides: the previous window counts by how much of it still overlaps the last minute', async () => {
    const s = storage();
    for (let i = 0; i < 10; i++) await hit(s, 'k', 100);
    now += MINUTE + 15_000; // three quarters of the previous window still inside the last minute
    expect(await hit(s, 'k', 100)).toMatchObject({ totalHits: 1 + Math.floor(10 * 0.75) });
    now += MINUTE; // two windows on: nothing of the first is left
    expect(await hit(s, 'k', 100)).toMatchObject({ totalHits: 1 + Math.floor(1 * 0.75) });
  });

  it('keeps one counter per caller whatever the limit: 200,000 hits in a window cost 200,000 increments', async () => {
    const s = storage();
    for (let i = 0; i < 200_000; i++) await hit(s, 'busy', 1_000_000);
    expect(await hit(s, 'busy', 1_000_000)).toMatchObject({ totalHits: 200_001, isBlocked: false });
  });

  it('reports the seconds left in the window as the time to expire', async () => {
    const s = storage();
    now = 10 * MINUTE + 45_000;
    expect(await hit(s)).toMatchObject({ timeToExpire: 15 });
  });
});
