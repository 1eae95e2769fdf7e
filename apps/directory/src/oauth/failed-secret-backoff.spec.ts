import { FailedSecretBackoff } from './failed-secret-backoff';

const SECOND = 1000;

function backoff(overrides: Partial<ConstructorParameters<typeof FailedSecretBackoff>[0]> = {}) {
  let now = 1_000_000;
  const clock = { advance: (ms: number) => (now += ms) };
  const subject = new FailedSecretBackoff(
    {
      failuresBeforeLock: 3,
      firstLockMs: SECOND,
      maxLockMs: 60 * SECOND,
      forgetAfterMs: 15 * 60 * SECOND,
      knownAddressMs: 24 * 3600 * SECOND,
      maxTracked: 100,
      ...overrides,
    },
    () => now,
  );
  return { subject, clock };
}

describe('FailedSecretBackoff', () => {
  it('locks a client id after N failures, doubling with each further failure up to the maximum', () => {
    const { subject, clock } = backoff();
    subject.failed('c');
    subject.failed('c');
    expect(subject.lockedFor('c', 'a1')).toBe(0);
    const locks: number[] = [];
    for (let i = 0; i < 9; i++) {
      subject.failed('c');
      locks.push(subject.lockedFor('c', 'a1'));
      clock.advance(locks[i]!);
    }
    expect(locks).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60].map((s) => s * SECOND));
  });

  it('locks every address out, unknown client ids too, and lets the next try through when the lock ends', () => {
    const { subject, clock } = backoff();
    for (let i = 0; i < 3; i++) subject.failed('no-such-client');
    expect(subject.lockedFor('no-such-client', 'a1')).toBe(SECOND);
    expect(subject.lockedFor('no-such-client', 'a2')).toBe(SECOND);
    clock.advance(SECOND);
    expect(subject.lockedFor('no-such-client', 'a1')).toBe(0);
  });

  it('never locks out an address the client authenticated from recently', () => {
    const { subject, clock } = backoff();
    subject.succeeded('c', 'home');
    for (let i = 0; i < 10; i++) subject.failed('c');
    expect(subject.lockedFor('c', 'home')).toBe(0);
    expect(subject.lockedFor('c', 'elsewhere')).toBeGreaterThan(0);
    clock.advance(25 * 3600 * SECOND);
    for (let i = 0; i < 3; i++) subject.failed('c');
    expect(subject.lockedFor('c', 'home')).toBeGreaterThan(0);
  });

  it('forgets failures after a quiet spell and after a success', () => {
    const { subject, clock } = backoff();
    subject.failed('c');
    subject.failed('c');
    clock.advance(16 * 60 * SECOND);
    subject.failed('c');
    expect(subject.lockedFor('c', 'a')).toBe(0);
    subject.failed('c');
    subject.succeeded('c', 'a');
    subject.failed('c');
    expect(subject.lockedFor('c', 'b')).toBe(0);
  });

  it('remembers a bounded number of client ids, forgetting the least recently touched', () => {
    const { subject } = backoff({ maxTracked: 2, failuresBeforeLock: 1 });
    subject.failed('a');
    subject.failed('b');
    subject.failed('a');
    subject.failed('c');
    expect(subject.lockedFor('b', 'x')).toBe(0);
    expect(subject.lockedFor('a', 'x')).toBeGreaterThan(0);
    expect(subject.lockedFor('c', 'x')).toBeGreaterThan(0);
  });
});
