import { Module } from '@nestjs/common';
import { AudienceModule } from '../audience/audience.module';
import { EmailModule } from '../email/email.module';
import { InboxModule } from '../inbox/inbox.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { NotificationDelivery } from './notification-delivery';
import { PlatformAlerts } from './platform-alerts';
import { ReferralEventsConsumer } from './referral-events.consumer';

/**
 * From events to mail and inbox rows: the referral events' consumer and the platform alerts other
 * modules raise (`PlatformAlerts.raise`, e.g. a webhook endpoint disabled).
 */
@Module({
  imports: [AudienceModule, SubscriptionsModule, EmailModule, InboxModule],
  providers: [NotificationDelivery, ReferralEventsConsumer, PlatformAlerts],
  exports: [PlatformAlerts],
})
export class DeliveriesModule {}
