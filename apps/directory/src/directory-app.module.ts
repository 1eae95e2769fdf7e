import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@nwd/http';
import { DirectoryConfig } from './directory.config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { AuditModule } from './audit/audit.module';
import { ClientsModule } from './clients/clients.module';
import { HsdsApiModule } from './hsds-api/hsds-api.module';
import { ImportExportModule } from './import-export/import-export.module';
import { ListingsModule } from './listings/listings.module';
import { OAuthModule } from './oauth/oauth.module';
import { SigningKeys } from './oauth/signing-keys';
import { SigningKeysModule } from './oauth/signing-keys.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { DirectorySearchModule } from './search/directory-search.module';

@Module({})
export class DirectoryAppModule {
  static forRoot(config: DirectoryConfig): DynamicModule {
    return {
      module: DirectoryAppModule,
      imports: [
        ServicePlatformModule.forRoot({
          config,
          entities,
          migrations,
          // The directory's reads are searches of a few milliseconds: starting parallel workers or JIT-compiling
          // costs more than either saves.
          sessionSettings: { jit: 'off', max_parallel_workers_per_gather: '0' },
          streams: ['IDENTITY', 'DIRECTORY'],
          // The directory signs the tokens, so it verifies them with its own keys rather than its own JWKS URL.
          signingKeys: { module: SigningKeysModule, resolver: { useExisting: SigningKeys } },
        }),
        // The network register: organizations, their API clients and tokens, and the audit log of both.
        OrganizationsModule,
        ClientsModule,
        OAuthModule,
        AuditModule,
        // The resource directory (HSDS 3.0): open data, search, import/export and maintenance.
        HsdsApiModule,
        DirectorySearchModule,
        ImportExportModule,
        ListingsModule,
      ],
    };
  }
}
