import { decideRetry, isDelivered, RetrySchedule } from './webhook-retry';

const schedule: RetrySchedule = { baseMs: 5_000, maxDelayMs: 3_600_000, windowMs: 24 * 3_600_000 };
const start = new Date('2026-12-01T12:00:00Z');
const delayOf = (attempts: number, random: number, now = start) => {
  const decision = decideRetry(schedule, attempts, start, now, () => random);
  if (decision.action !== 'retry') throw new Error('gave up');
  return decision.at.getTime() - now.getTime();
};

describe('decideRetry', () => {
  it('doubles the delay after each failure, within [half, full] of the ceiling', () => {
    expect([1, 2, 3, 4].map((n) => delayOf(n, 1))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect([1, 2, 3, 4].map((n) => delayOf(n, 0))).toEqual([2_500, 5_000, 10_000, 20_000]);
  });

  it('jitters: different random draws give different delays', () => {
    expect(new Set([0.1, 0.5, 0.9].map((r) => delayOf(6, r))).size).toBe(3);
  });

  it('caps the delay at the maximum, however many attempts', () => {
    expect(delayOf(30, 1)).toBe(3_600_000);
    expect(delayOf(5_000, 1)).toBe(3_600_000);
  });

  it('gives up once the retry window has passed since the first try', () => {
    const justBefore = new Date(start.getTime() + schedule.windowMs - 1);
    expect(decideRetry(schedule, 20, start, justBefore).action).toBe('retry');
    expect(decideRetry(schedule, 20, start, new Date(start.getTime() + schedule.windowMs))).toEqual({ action: 'give-up' });
  });

  it('counts only 2xx as delivered', () => {
    expect([200, 204, 299].every(isDelivered)).toBe(true);
    expect([undefined, 199, 302, 400, 500].some(isDelivered)).toBe(false);
  });
});
