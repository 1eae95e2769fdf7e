import { ContractViolation } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { backoffDelay, decideOnFailure } from './retry-policy';

describe('decideOnFailure', () => {
  it('retries transient errors with growing delays until the last delivery', () => {
    const error = new Error('connection reset');
    expect(decideOnFailure(error, 1, 3)).toEqual({ action: 'retry', delayMs: 200 });
    expect(decideOnFailure(error, 2, 3)).toEqual({ action: 'retry', delayMs: 400 });
    expect(decideOnFailure(error, 3, 3)).toEqual({ action: 'dead-letter', reason: 'exhausted' });
  });

  it('treats an unavailable dependency as transient', () => {
    expect(decideOnFailure(DomainError.unavailable('messaging.unavailable', 'down'), 1, 5).action).toBe('retry');
  });

  it('dead-letters domain decisions and contract violations at once', () => {
    expect(decideOnFailure(DomainError.notFound('directory.service-not-found', 'missing'), 1, 5)).toEqual({ action: 'dead-letter', reason: 'permanent' });
    expect(decideOnFailure(new ContractViolation('a.v1.b', []), 1, 5)).toEqual({ action: 'dead-letter', reason: 'permanent' });
  });

  it('follows an explicit schedule and caps the default one', () => {
    expect(backoffDelay(1, [10, 20])).toBe(10);
    expect(backoffDelay(5, [10, 20])).toBe(20);
    expect(backoffDelay(20)).toBe(30_000);
  });
});
