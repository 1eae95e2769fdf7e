import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@nwd/http';
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
        ServicePlatformModule.forRoot({ config, entities, migrations, streams: ['REFERRAL'] }),
        ReferralsModule,
      ],
    };
  }
}
