import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BaseConfig } from '@nwd/config';
import { dataSourceOptions, PersistenceOptions, runMigrations } from './data-source';

@Module({})
export class PersistenceModule {
  /** The service's own database; migrations run at boot under an advisory lock, exactly as in tests. */
  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [BaseConfig],
          useFactory: (config: BaseConfig) => dataSourceOptions(config.DATABASE_URL, options),
          dataSourceFactory: async (opts) => {
            const dataSource = await new DataSource(opts!).initialize();
            return dataSource;
          },
        }),
      ],
      providers: [
        {
          provide: 'NWD_MIGRATIONS',
          inject: [BaseConfig, DataSource],
          useFactory: async (config: BaseConfig, dataSource: DataSource) =>
            config.NWD_RUN_MIGRATIONS ? runMigrations(dataSource) : [],
        },
      ],
      exports: [TypeOrmModule, 'NWD_MIGRATIONS'],
    };
  }
}
