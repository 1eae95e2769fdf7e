import { DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@nwd/http';
import { ReportingConfig } from './reporting.config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';

@Module({})
export class ReportingAppModule {
  static forRoot(config: ReportingConfig): DynamicModule {
    return {
      module: ReportingAppModule,
      imports: [
        ServicePlatformModule.forRoot({ config, entities, migrations, streams: [] }),
      ],
    };
  }
}
