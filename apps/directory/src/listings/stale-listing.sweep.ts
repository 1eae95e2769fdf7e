import { Injectable } from '@nestjs/common';
import { Clock } from '@nwd/clock';
import { PeriodicTask } from '@nwd/http';
import { DirectoryConfig } from '../directory.config';
import { ListingsService } from './listings.service';

/** Flags listings not verified within the freshness period (each instance; the UPDATE makes it idempotent). */
@Injectable()
export class StaleListingSweep extends PeriodicTask {
  constructor(private readonly listings: ListingsService, private readonly config: DirectoryConfig, clock: Clock) {
    super(clock, config.NWD_STALE_SWEEP_INTERVAL_SECONDS);
  }

  run(now: Date): Promise<number> {
    return this.listings.sweepStale(now, this.config.NWD_LISTING_STALE_AFTER_DAYS);
  }
}
