import { Injectable, Logger } from '@nestjs/common';
import { asSystem } from '@nwd/auth';
import { Clock } from '@nwd/clock';
import { PeriodicTask } from '@nwd/http';
import { NotificationsConfig } from '../notifications.config';
import { PartnerCredentialsRepository } from './partner-credentials.repository';
import { PartnerNats } from './partner-nats';
import { revocationList } from './revocation-list';

/**
 * Ends rotated credentials' overlaps and makes sure the server refuses every revoked credential:
 * the push at revocation time may have failed (NATS down), or the server may have restarted from
 * a configuration generated before it (then it also runs as soon as it reconnects). Compares with the server's account JWT and pushes only
 * when something is missing, so it is cheap and safe to run in every replica.
 */
@Injectable()
export class PartnerCredentialsRevocationSync extends PeriodicTask {
  private readonly log = new Logger(PartnerCredentialsRevocationSync.name);

  constructor(
    private readonly credentials: PartnerCredentialsRepository,
    private readonly nats: PartnerNats,
    config: NotificationsConfig,
    clock: Clock,
  ) {
    super(clock, config.NWD_PARTNER_NATS_ISSUER_FILE ? config.NWD_PARTNER_NATS_REVOCATION_SYNC_SECONDS : 0);
    // A restarted server may hold an older account JWT: re-apply at once rather than at the next run.
    nats.onReconnect(() => void this.run(clock.now()).catch((error: Error) => this.log.warn(`revocation sync after a reconnect failed: ${error.message}`)));
  }

  /** Returns how many revocations the server lacked. */
  async run(now: Date): Promise<number> {
    await this.credentials.expireDue(asSystem, now);
    const revoked = await this.credentials.revoked(asSystem);
    if (!revoked.length) return 0;
    return this.nats.revoke(revocationList(revoked));
  }
}
