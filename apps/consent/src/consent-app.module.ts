import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@nwd/http';
import { ClientsModule } from './clients/clients.module';
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
        ServicePlatformModule.forRoot({ config, entities, migrations, streams: ['CONSENT'] }),
        DisclosuresModule,
        ClientsModule,
        DecisionsModule,
        ConsentsModule,
      ],
    };
  }
}
