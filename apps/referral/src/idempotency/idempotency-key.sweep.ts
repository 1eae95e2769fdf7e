import { Injectable } from '@nestjs/common';
import { Clock } from '@nwd/clock';
import { PeriodicTask } from '@nwd/http';
import { ReferralConfig } from '../referral.config';
import { IdempotencyStore } from './idempotency.store';

/** Deletes Idempotency-Keys past their retention, so the table holds about a day of writes, not all of them. */
@Injectable()
export class IdempotencyKeySweep extends PeriodicTask {
  constructor(private readonly store: IdempotencyStore, config: ReferralConfig, clock: Clock) {
    super(clock, config.NWD_IDEMPOTENCY_SWEEP_INTERVAL_SECONDS);
  }

  run(now: Date): Promise<number> {
    return this.store.sweep(now);
  }
}
