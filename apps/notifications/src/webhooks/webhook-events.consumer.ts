import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@nwd/clock';
import { EventEnvelope, REFERRAL_EVENT_FAMILY, ReferralEventPayload } from '@nwd/contracts';
import { OnEvent } from '@nwd/messaging';
import { ReferralAudience } from '../audience/referral-audience';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/** The body of every delivery: the event's type, time and payload (ids and codes only, as on the wire). */
export function deliveryBody(event: EventEnvelope<ReferralEventPayload>): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt, data: { eventId: event.id, ...event.data } });
}

/**
 * Queues each referral event for the subscribed endpoints of the organizations it is for (the
 * audience module decides who), in the inbox transaction: an event is queued once, and never
 * acknowledged before it is. One consumer of the whole stream, so a referral's deliveries are
 * queued in the order its events were written.
 */
@Injectable()
export class WebhookEventsConsumer {
  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly audience: ReferralAudience,
    private readonly clock: Clock,
  ) {}

  @OnEvent(REFERRAL_EVENT_FAMILY, { durable: 'notifications-webhooks' })
  async queue(event: EventEnvelope<object>, manager: EntityManager): Promise<void> {
    const referralEvent = event as EventEnvelope<ReferralEventPayload>;
    const audience = await this.audience.of(event);
    await this.deliveries.enqueue(
      manager,
      {
        eventId: event.id,
        eventType: event.type,
        referralId: referralEvent.data.referralId,
        occurredAt: event.occurredAt,
        body: deliveryBody(referralEvent),
      },
      audience.organizations.map((member) => member.organizationId),
      this.clock.now(),
    );
  }
}
