import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@nwd/clock';

/**
 * Housekeeping that runs on a timer in every instance of a service (the task itself must be safe to run
 * twice at once: an UPDATE or DELETE by condition is). A failed run is logged; the next one tries again.
 * A subclass states only its interval (in its constructor) and what one run does; each run gets the
 * service's clock's "now", so tests run it by hand at any time they like.
 */
export abstract class PeriodicTask implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;

  /** `intervalSeconds` 0 turns the task off (tests run it by hand). */
  protected constructor(
    private readonly clock: Clock,
    private readonly intervalSeconds: number,
  ) {}

  abstract run(now: Date): Promise<unknown>;

  onApplicationBootstrap(): void {
    if (this.intervalSeconds <= 0) return;
    this.timer = setInterval(() => {
      this.run(this.clock.now()).catch((error) => this.logger.error(`${this.constructor.name} failed: ${(error as Error).message}`));
    }, this.intervalSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
