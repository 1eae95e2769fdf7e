import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, PartnerEventType, ReferralDeadlinePayload, ReferralEventPayload, ReferralEvents } from '@nwd/contracts';
import { OnEvent } from '@nwd/messaging';
import { interimAudience } from './interim-audience';
import { NotificationDelivery } from './notification-delivery';

/**
 * Email and in-app delivery of the referral loop's events, each type on its own inbox-guarded
 * durable (`notifications-deliver-<type>`, declared in NETWORK_MESSAGING): what a redelivery
 * brings again is acknowledged without writing twice. due-soon becomes the receiver's reminder,
 * overdue the sender's and the network admins' escalation.
 */
@Injectable()
export class ReferralEventsConsumer {
  constructor(private readonly delivery: NotificationDelivery) {}

  @OnEvent(ReferralEvents.requested, { durable: 'notifications-deliver-requested' })
  requested(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.accepted, { durable: 'notifications-deliver-accepted' })
  accepted(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.rejected, { durable: 'notifications-deliver-rejected' })
  rejected(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.forwarded, { durable: 'notifications-deliver-forwarded' })
  forwarded(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.inProgress, { durable: 'notifications-deliver-in-progress' })
  inProgress(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.onHold, { durable: 'notifications-deliver-on-hold' })
  onHold(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.completed, { durable: 'notifications-deliver-completed' })
  completed(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.failed, { durable: 'notifications-deliver-failed' })
  failed(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.cancelled, { durable: 'notifications-deliver-cancelled' })
  cancelled(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.noteAdded, { durable: 'notifications-deliver-note-added' })
  noteAdded(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.contactAttempted, { durable: 'notifications-deliver-contact-attempted' })
  contactAttempted(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.exceptionNoted, { durable: 'notifications-deliver-exception-noted' })
  exceptionNoted(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.outcomeKnown, { durable: 'notifications-deliver-outcome-known' })
  outcomeKnown(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.consentRevoked, { durable: 'notifications-deliver-consent-revoked' })
  consentRevoked(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.dueSoon, { durable: 'notifications-deliver-due-soon' })
  dueSoon(event: EventEnvelope<ReferralDeadlinePayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  @OnEvent(ReferralEvents.overdue, { durable: 'notifications-deliver-overdue' })
  overdue(event: EventEnvelope<ReferralDeadlinePayload>, manager: EntityManager): Promise<void> {
    return this.deliver(event, manager);
  }

  private deliver(event: EventEnvelope<ReferralEventPayload>, manager: EntityManager): Promise<void> {
    return this.delivery.deliver(manager, event, interimAudience(event.type as PartnerEventType, event.data));
  }
}
