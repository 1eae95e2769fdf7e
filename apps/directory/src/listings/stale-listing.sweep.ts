import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DirectoryConfig } from '../directory.config';
import { ListingsService } from './listings.service';

/** Flags listings not verified within the freshness period, on a timer (each instance; the UPDATE makes it idempotent). */
@Injectable()
export class StaleListingSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StaleListingSweep.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly listings: ListingsService,
    private readonly config: DirectoryConfig,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.NWD_STALE_SWEEP_INTERVAL_SECONDS;
    if (seconds > 0) {
      this.timer = setInterval(() => {
        this.run(new Date()).catch((error) => this.logger.error(`stale sweep failed: ${(error as Error).message}`));
      }, seconds * 1000);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  run(now: Date): Promise<number> {
    return this.listings.sweepStale(now, this.config.NWD_LISTING_STALE_AFTER_DAYS);
  }
}
