import { Injectable } from '@nestjs/common';

/**
 * A service's notion of "now". Everything that decides by time (caches, token issue and expiry, sweeps,
 * the secret-guessing backoff, the platform-standards clock, "open now") reads it rather than the system
 * clock, so tests move time (`TestClock`) instead of sleeping.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** Milliseconds since the epoch: `now().getTime()` without the Date for hot paths. */
  nowMs(): number {
    return this.now().getTime();
  }
}
