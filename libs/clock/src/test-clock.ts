import { Clock } from './clock';

/**
 * A clock tests move: it runs with the system clock, shifted by whatever `advance` added, until `set`
 * stops it at a given time. `takeOver` makes a service's injected Clock read it, so every consumer of that
 * one instance (it is a global singleton) moves together.
 */
export class TestClock extends Clock {
  private offsetMs = 0;
  private stoppedAt?: number;

  static takeOver(clock: Clock): TestClock {
    const test = new TestClock();
    clock.now = () => test.now();
    clock.nowMs = () => test.nowMs();
    return test;
  }

  override now(): Date {
    return new Date(this.nowMs());
  }

  override nowMs(): number {
    return this.stoppedAt ?? Date.now() + this.offsetMs;
  }

  /** Stops the clock at `at` (it stays there until moved). */
  set(at: Date | string | number): this {
    this.stoppedAt = new Date(at).getTime();
    return this;
  }

  /** Moves the clock forward, stopped or running. */
  advance(ms: number): this {
    if (this.stoppedAt !== undefined) this.stoppedAt += ms;
    else this.offsetMs += ms;
    return this;
  }

  /** Back to the system clock. */
  reset(): this {
    this.offsetMs = 0;
    this.stoppedAt = undefined;
    return this;
  }
}
