/** Thrown instead of waiting when the queue already holds as much waiting work as it may. */
export class WorkQueueFull extends Error {
  constructor() {
    super('The work queue is full');
    this.name = 'WorkQueueFull';
  }
}

/**
 * Runs at most `concurrency` tasks at a time and lets at most `maxWaiting` more wait; beyond that
 * `run` refuses at once. For CPU-heavy work offloaded to the libuv pool (scrypt), so that a flood
 * gets fast refusals instead of an ever-longer queue that starves every other request.
 */
export class BoundedWorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
  ) {}

  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) {
      this.running++;
    } else {
      if (this.waiting.length >= this.maxWaiting) throw new WorkQueueFull();
      // The finishing task hands its slot over, so `running` stays as it is.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
