import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@nwd/auth';
import { ConfigModule } from '@nwd/config';
import { HttpPlatformModule } from '@nwd/http';
import { MessagingModule, NatsModule } from '@nwd/messaging';
import { PersistenceModule } from '@nwd/persistence';
import { ReferralConfig } from './referral.config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { ReferralsModule } from './referrals/referrals.module';

@Module({})
export class ReferralAppModule {
  static forRoot(config: ReferralConfig): DynamicModule {
    return {
      module: ReferralAppModule,
      imports: [
        ConfigModule.forRoot(config),
        HttpPlatformModule,
        AuthModule.forRoot(),
        NatsModule,
        PersistenceModule.forRoot({ entities, migrations }),
        MessagingModule.forRoot({ streams: ['REFERRAL'] }),
        ReferralsModule,
      ],
    };
  }
}
