import { Module } from '@nestjs/common';
import { AudienceModule } from '../audience/audience.module';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { NotificationsConfig } from '../notifications.config';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEventsConsumer } from './webhook-events.consumer';
import { WebhookSecretCipher } from './webhook-secret.cipher';
import { WebhookSender } from './webhook-sender';
import { WebhookTargetGuard } from './webhook-target.guard';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Signed webhooks: endpoints per organization, a persisted delivery queue, its dispatcher and log. */
@Module({
  imports: [AudienceModule, DeliveriesModule],
  controllers: [WebhooksController],
  providers: [
    {
      provide: WebhookTargetGuard,
      // Development reaches local receivers; elsewhere only when a (non-production) config says so.
      useFactory: (config: NotificationsConfig) =>
        new WebhookTargetGuard({ allowPrivate: config.NODE_ENV === 'development' || config.NWD_WEBHOOK_ALLOW_PRIVATE_TARGETS }),
      inject: [NotificationsConfig],
    },
    {
      provide: WebhookSecretCipher,
      useFactory: (config: NotificationsConfig) => new WebhookSecretCipher(config.NWD_WEBHOOK_SECRET_KEY),
      inject: [NotificationsConfig],
    },
    {
      provide: WebhookSender,
      useFactory: (guard: WebhookTargetGuard, config: NotificationsConfig) => new WebhookSender(guard, config.NWD_WEBHOOK_TIMEOUT_MS),
      inject: [WebhookTargetGuard, NotificationsConfig],
    },
    WebhookEndpointsRepository,
    WebhookDeliveriesRepository,
    WebhooksService,
    WebhookEventsConsumer,
    WebhookDispatcher,
  ],
  exports: [WebhookDispatcher],
})
export class WebhooksModule {}
