import { DynamicModule, Module, Type } from '@nestjs/common';
import { AuthModule, AuthModuleOptions } from '@nwd/auth';
import { ClockModule } from '@nwd/clock';
import { BaseConfig, ConfigModule } from '@nwd/config';
import { MessagingModule, MessagingOptions, NatsModule } from '@nwd/messaging';
import { PersistenceModule, PersistenceOptions } from '@nwd/persistence';
import { HttpPlatformModule } from './http-platform.module';

export interface ServicePlatformOptions extends PersistenceOptions {
  /** The service's validated configuration. */
  config: BaseConfig;
  /** The JetStream streams the service writes to (and so provisions). */
  streams: MessagingOptions['streams'];
  /**
   * Where tokens' public keys come from, and the module that provides them: only the directory, which
   * signs the tokens, has its own; every other service reads the directory's JWKS.
   */
  signingKeys?: { module: Type<unknown>; resolver: NonNullable<AuthModuleOptions['keyResolver']> };
}

/**
 * What every service stands on, so an app module lists only its own capabilities: configuration, HTTP
 * (problem details, validation, health, metrics), one clock, NATS, its own database migrated at boot, the
 * outbox and its streams, and token verification with rate limits. Every module here is global.
 */
@Module({})
export class ServicePlatformModule {
  static forRoot({ config, streams, signingKeys, ...persistence }: ServicePlatformOptions): DynamicModule {
    return {
      module: ServicePlatformModule,
      imports: [
        ConfigModule.forRoot(config),
        HttpPlatformModule,
        NatsModule,
        ClockModule,
        PersistenceModule.forRoot(persistence),
        MessagingModule.forRoot({ streams }),
        ...(signingKeys ? [signingKeys.module] : []),
        AuthModule.forRoot(signingKeys ? { keyResolver: signingKeys.resolver } : {}),
      ],
    };
  }
}
