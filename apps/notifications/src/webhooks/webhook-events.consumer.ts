import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@nwd/clock';
import { EventEnvelope, REFERRAL_EVENT_FAMILY, ReferralEventPayload } from '@nwd/contracts';
import { OnEvent } from '@nwd/messaging';
import { temporaryWebhookAudience } from './webhook-audience.temporary';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/** The body of every delivery: the event's type, time and payload (ids and codes only, as on the wire). */
export function deliveryBody(event: EventEnvelope<ReferralEventPayload>): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt, data: { eventId: event.id, ...event.data } });
}

/**
 * Queues each referral event for the subscribed endpoints of the organizations it is for, in the
 * inbox transaction: an event is queued once, and is never acknowledged before it is queued.
 */
@Injectable()
export class WebhookEventsConsumer {
  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly clock: Clock,
  ) {}

  @OnEvent(REFERRAL_EVENT_FAMILY, { durable: 'notifications-webhooks' })
  async queue(event: EventEnvelope<object>, manager: EntityManager): Promise<void> {
    const referralEvent = event as EventEnvelope<ReferralEventPayload>;
    await this.deliveries.enqueue(
      manager,
      {
        eventId: event.id,
        eventType: event.type,
        referralId: referralEvent.data.referralId,
        occurredAt: event.occurredAt,
        body: deliveryBody(referralEvent),
      },
      temporaryWebhookAudience(referralEvent.data),
      this.clock.now(),
    );
  }
}
