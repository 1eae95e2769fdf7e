import { Injectable } from '@nestjs/common';
import { PeriodicTask } from '@nwd/http';
import { ReferralConfig } from '../referral.config';
import { IdempotencyStore } from './idempotency.store';

/** Deletes Idempotency-Keys past their retention, so the table holds about a day of writes, not all of them. */
@Injectable()
export class IdempotencyKeySweep extends PeriodicTask {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly config: ReferralConfig,
  ) {
    super();
  }

  protected intervalSeconds(): number {
    return this.config.NWD_IDEMPOTENCY_SWEEP_INTERVAL_SECONDS;
  }

  run(now: Date): Promise<number> {
    return this.store.sweep(now);
  }
}
