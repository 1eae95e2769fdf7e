import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * Housekeeping that runs on a timer in every instance of a service (the task itself must be safe to run
 * twice at once: an UPDATE or DELETE by condition is). A failed run is logged; the next one tries again.
 */
export abstract class PeriodicTask implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;

  /** Seconds between runs; 0 turns the task off (tests run it by hand). */
  protected abstract intervalSeconds(): number;

  abstract run(now: Date): Promise<unknown>;

  onApplicationBootstrap(): void {
    const seconds = this.intervalSeconds();
    if (seconds <= 0) return;
    this.timer = setInterval(() => {
      this.run(new Date()).catch((error) => this.logger.error(`${this.constructor.name} failed: ${(error as Error).message}`));
    }, seconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
