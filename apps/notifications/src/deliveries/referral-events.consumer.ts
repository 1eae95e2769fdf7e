import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, REFERRAL_EVENT_FAMILY, ReferralEventPayload } from '@nwd/contracts';
import { OnEvent } from '@nwd/messaging';
import { ReferralAudience } from '../audience/referral-audience';
import { NotificationOwner } from '../recipients/notification-owner';
import { NotificationDelivery, Recipient } from './notification-delivery';

/**
 * Email and in-app delivery of the referral loop's events, on one inbox-guarded durable over the
 * whole REFERRAL stream (declared in NETWORK_MESSAGING), so mail is queued in the order things
 * happened. The audience module says who each event is for and why: due-soon reminds the
 * receiver, overdue escalates to the sender and the network admins (and reminds the receiver).
 */
@Injectable()
export class ReferralEventsConsumer {
  constructor(
    private readonly audience: ReferralAudience,
    private readonly delivery: NotificationDelivery,
  ) {}

  @OnEvent(REFERRAL_EVENT_FAMILY, { durable: 'notifications-email-inbox' })
  async deliver(event: EventEnvelope<object>, manager: EntityManager): Promise<void> {
    const { organizations, networkAdmins } = await this.audience.of(event);
    const recipients: Recipient[] = organizations.map(({ organizationId, purpose }) => ({ owner: NotificationOwner.organization(organizationId), purpose }));
    if (networkAdmins) recipients.push({ owner: NotificationOwner.network, purpose: 'escalation' });
    await this.delivery.deliver(manager, event as EventEnvelope<ReferralEventPayload>, recipients);
  }
}
