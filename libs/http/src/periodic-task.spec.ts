import { TestClock } from '@nwd/clock';
import { PeriodicTask } from './periodic-task';

class Recording extends PeriodicTask {
  readonly runs: Date[] = [];
  constructor(clock: TestClock, intervalSeconds: number) {
    super(clock, intervalSeconds);
  }
  async run(now: Date): Promise<void> {
    this.runs.push(now);
  }
}

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs every interval with the injected clock’s time, until shut down', () => {
    const clock = new TestClock().set('2031-01-01T00:00:00.000Z');
    const task = new Recording(clock, 30);
    task.onApplicationBootstrap();
    jest.advanceTimersByTime(30_000);
    clock.advance(3_600_000);
    jest.advanceTimersByTime(30_000);
    task.onApplicationShutdown();
    jest.advanceTimersByTime(60_000);
    expect(task.runs.map((d) => d.toISOString())).toEqual(['2031-01-01T00:00:00.000Z', '2031-01-01T01:00:00.000Z']);
  });

  it('does not run on a timer when its interval is 0', () => {
    const task = new Recording(new TestClock(), 0);
    task.onApplicationBootstrap();
    jest.advanceTimersByTime(3_600_000);
    expect(task.runs).toEqual([]);
  });
});
