import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@nwd/http';
import { NotificationsConfig } from './notifications.config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { EmailModule } from './email/email.module';
import { InboxModule } from './inbox/inbox.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { AudienceModule } from './audience/audience.module';
import { PartnerFeedsModule } from './partner-feeds/partner-feeds.module';
import { AsyncApiModule } from './asyncapi/asyncapi.module';
import { PartnerCredentialsModule } from './partner-credentials/partner-credentials.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class NotificationsAppModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsAppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, entities, migrations, streams: ['PARTNER'] }),
        AudienceModule,
        PartnerFeedsModule,
        AsyncApiModule,
        PartnerCredentialsModule,
        SubscriptionsModule,
        EmailModule,
        InboxModule,
        DeliveriesModule,
        WebhooksModule,
      ],
    };
  }
}
