import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@nwd/auth';
import { ConfigModule } from '@nwd/config';
import { HttpPlatformModule } from '@nwd/http';
import { MessagingModule, NatsModule } from '@nwd/messaging';
import { PersistenceModule } from '@nwd/persistence';
import { NotificationsConfig } from './notifications.config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';

@Module({})
export class NotificationsAppModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsAppModule,
      imports: [
        ConfigModule.forRoot(config),
        HttpPlatformModule,
        AuthModule.forRoot(),
        NatsModule,
        PersistenceModule.forRoot({ entities, migrations }),
        MessagingModule.forRoot({ streams: [] }),
      ],
    };
  }
}
