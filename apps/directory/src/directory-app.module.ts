import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@nwd/auth';
import { ConfigModule } from '@nwd/config';
import { HttpPlatformModule } from '@nwd/http';
import { MessagingModule, NatsModule } from '@nwd/messaging';
import { PersistenceModule } from '@nwd/persistence';
import { DirectoryConfig } from './directory.config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { IdentityModule } from './identity.module';
import { ListingsModule } from './listings/listings.module';
import { SigningKeys } from './oauth/signing-keys';
import { SigningKeysModule } from './oauth/signing-keys.module';

@Module({})
export class DirectoryAppModule {
  static forRoot(config: DirectoryConfig): DynamicModule {
    return {
      module: DirectoryAppModule,
      imports: [
        ConfigModule.forRoot(config),
        HttpPlatformModule,
        NatsModule,
        // The directory's reads are searches of a few milliseconds: starting parallel workers or JIT-compiling
        // costs more than either saves.
        PersistenceModule.forRoot({ entities, migrations, sessionSettings: { jit: 'off', max_parallel_workers_per_gather: '0' } }),
        MessagingModule.forRoot({ streams: ['IDENTITY', 'DIRECTORY'] }),
        SigningKeysModule,
        // The directory signs the tokens, so it verifies them with its own keys rather than its own JWKS URL.
        AuthModule.forRoot({ keyResolver: { useExisting: SigningKeys } }),
        IdentityModule,
        ListingsModule,
      ],
    };
  }
}
