import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@nwd/clock';
import { ConsentEvents } from '@nwd/contracts';
import { PeriodicTask } from '@nwd/http';
import { Outbox } from '@nwd/messaging';
import { ConsentConfig } from '../consent.config';
import { ConsentsRepository } from './consents.repository';

const BATCH = 500;

/**
 * Marks consents past their end expired and announces each with `consent.v1.expired`, so caches
 * elsewhere drop what relied on them. Decisions never wait for it: a consent past its end decides
 * as expired at once; the sweep is for the event (and the status shown).
 */
@Injectable()
export class ConsentExpirySweep extends PeriodicTask {
  constructor(
    private readonly dataSource: DataSource,
    private readonly consents: ConsentsRepository,
    private readonly outbox: Outbox,
    config: ConsentConfig,
    clock: Clock,
  ) {
    super(clock, config.NWD_CONSENT_EXPIRY_SWEEP_INTERVAL_SECONDS);
  }

  /** Expires everything due at `now`, in batches; returns how many. */
  async run(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await this.dataSource.transaction(async (manager) => {
        const due = await this.consents.expireDue(manager, now, BATCH);
        await this.outbox.appendMany(
          manager,
          ConsentEvents.expired,
          due.map((c) => ({ consentId: c.id, clientId: c.clientId, expiredAt: c.expiresAt.toISOString(), occurredAt: now.toISOString() })),
        );
        return due.length;
      });
      total += expired;
      if (expired < BATCH) return total;
    }
  }
}
