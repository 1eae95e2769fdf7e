import { Injectable } from '@nestjs/common';
import { EventEnvelope, REFERRAL_EVENT_FAMILY, ReferralEventPayload } from '@nwd/contracts';
import { OnEvent } from '@nwd/messaging';
import { ReferralAudience } from './referral-audience';

/** Keeps the referral parties current whether or not any channel is running. */
@Injectable()
export class ReferralPartiesConsumer {
  constructor(private readonly audience: ReferralAudience) {}

  @OnEvent(REFERRAL_EVENT_FAMILY, { durable: 'notifications-referral-parties' })
  async handle(event: EventEnvelope<object>): Promise<void> {
    await this.audience.record(event.data as ReferralEventPayload);
  }
}
