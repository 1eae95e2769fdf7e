import { DynamicModule, Global, Module } from '@nestjs/common';
import { BaseConfig } from './base.config';

/**
 * Registers the already-validated config object under its own class and under BaseConfig,
 * so a service injects its typed config and shared libs inject the common part.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot<T extends BaseConfig>(config: T): DynamicModule {
    const schema = config.constructor as new () => T;
    return {
      module: ConfigModule,
      providers: [
        { provide: schema, useValue: config },
        { provide: BaseConfig, useValue: config },
      ],
      exports: [schema, BaseConfig],
    };
  }
}
