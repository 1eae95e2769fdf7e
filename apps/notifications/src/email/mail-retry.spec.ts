import { decideOnMailFailure, mailRetryDelaySeconds } from './mail-retry';

const policy = { baseSeconds: 30, maxSeconds: 3600, maxAttempts: 5 };
const now = new Date('2026-03-04T12:00:00Z');

describe('mail retry backoff', () => {
  it('doubles from the base per attempt, capped', () => {
    expect([1, 2, 3, 4, 5, 8, 20].map((a) => mailRetryDelaySeconds(a, policy))).toEqual([30, 60, 120, 240, 480, 3600, 3600]);
  });

  it('adds at most a fifth as jitter', () => {
    expect(mailRetryDelaySeconds(2, policy, 0.5)).toBe(66);
    expect(mailRetryDelaySeconds(2, policy, 1)).toBe(72);
    expect(mailRetryDelaySeconds(20, policy, 1)).toBe(4320);
  });

  it('retries at now + delay until the last attempt, then gives up', () => {
    expect(decideOnMailFailure(1, now, policy, 0)).toEqual({ action: 'retry', at: new Date('2026-03-04T12:00:30Z') });
    expect(decideOnMailFailure(4, now, policy, 0)).toEqual({ action: 'retry', at: new Date('2026-03-04T12:04:00Z') });
    expect(decideOnMailFailure(5, now, policy, 0)).toEqual({ action: 'give-up' });
  });
});
