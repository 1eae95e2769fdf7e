import { Clock } from './clock';
import { TestClock } from './test-clock';

describe('TestClock', () => {
  it('runs with the system clock until moved, then keeps the offset', () => {
    const clock = new TestClock();
    expect(Math.abs(clock.nowMs() - Date.now())).toBeLessThan(50);
    clock.advance(5_000);
    expect(clock.nowMs() - Date.now()).toBeGreaterThan(4_900);
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(Date.now() + 4_900);
  });

  it('stops at a set time and advances from there', () => {
    const clock = new TestClock().set('2031-05-06T07:08:09.000Z');
    expect(clock.now().toISOString()).toBe('2031-05-06T07:08:09.000Z');
    clock.advance(1_500);
    expect(clock.now().toISOString()).toBe('2031-05-06T07:08:10.500Z');
    clock.reset();
    expect(Math.abs(clock.nowMs() - Date.now())).toBeLessThan(50);
  });

  it('takes over an injected clock, so every consumer of that instance moves with it', () => {
    const injected = new Clock();
    const test = TestClock.takeOver(injected);
    test.set(0);
    expect(injected.now().getTime()).toBe(0);
    expect(injected.nowMs()).toBe(0);
    test.advance(60_000);
    expect(injected.now().toISOString()).toBe('1970-01-01T00:01:00.000Z');
  });
});
