import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@nwd/auth';
import { ConfigModule } from '@nwd/config';
import { HttpPlatformModule } from '@nwd/http';
import { MessagingModule, NatsModule } from '@nwd/messaging';
import { PersistenceModule } from '@nwd/persistence';
import { ClientsModule } from './clients/clients.module';
import { ClockModule } from './clock/clock.module';
import { ConsentConfig } from './consent.config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { ConsentsModule } from './consents/consents.module';
import { DecisionsModule } from './decisions/decisions.module';
import { DisclosuresModule } from './disclosures/disclosures.module';

@Module({})
export class ConsentAppModule {
  static forRoot(config: ConsentConfig): DynamicModule {
    return {
      module: ConsentAppModule,
      imports: [
        ConfigModule.forRoot(config),
        HttpPlatformModule,
        AuthModule.forRoot(),
        NatsModule,
        PersistenceModule.forRoot({ entities, migrations }),
        MessagingModule.forRoot({ streams: ['CONSENT'] }),
        ClockModule,
        DisclosuresModule,
        ClientsModule,
        DecisionsModule,
        ConsentsModule,
      ],
    };
  }
}
