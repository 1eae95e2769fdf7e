import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, PartnerFeed, REFERRAL_EVENT_FAMILY } from '@nwd/contracts';
import { OnEvent, Outbox } from '@nwd/messaging';
import { ReferralAudience } from '../audience/referral-audience';
import { partnerCopyId } from './partner-copy-id';

/**
 * Fans every referral event out to the feed of each organization party to it, through the
 * outbox in the consumer's transaction: the copies are written exactly once (inbox) and published
 * at least once, in the order of the REFERRAL stream, hence in order per referral.
 */
@Injectable()
export class PartnerFeedPublisher {
  constructor(
    private readonly audience: ReferralAudience,
    private readonly outbox: Outbox,
  ) {}

  @OnEvent(REFERRAL_EVENT_FAMILY, { durable: 'notifications-partner-feeds' })
  async fanOut(event: EventEnvelope<object>, manager: EntityManager): Promise<void> {
    const { organizations } = await this.audience.of(event);
    for (const { organizationId } of organizations) {
      await this.outbox.appendMany(manager, PartnerFeed.eventFor(organizationId, event.type), [event.data], {
        ids: [partnerCopyId(event.id, organizationId)],
      });
    }
  }
}
