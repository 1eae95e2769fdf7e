import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { BaseConfig } from '@nwd/config';
import { DenyList } from './deny-list';
import { DenyListFeed } from './deny-list.feed';
import { ClientThrottlerGuard, JwtAuthGuard, RolesGuard } from './guards';
import { JwtStrategy } from './jwt.strategy';
import { JwksKeyResolver, SigningKeyResolver } from './signing-key-resolver';
import { WhoamiController } from './whoami.controller';

export interface AuthModuleOptions {
  /** Where public keys come from; defaults to the directory's JWKS (the directory itself resolves its own keys). */
  keyResolver?: Omit<Provider<SigningKeyResolver>, 'provide'> & ({ useExisting: unknown } | { useClass: unknown });
}

/**
 * Authentication for a service: every route needs a valid access token unless @Public(), then
 * @Roles() are checked, then the caller's rate limit. Guards are APP_GUARD providers, so test
 * apps built from the same module enforce the same rules.
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    const keyResolver = { provide: SigningKeyResolver, ...(options.keyResolver ?? { useClass: JwksKeyResolver }) } as Provider;
    return {
      module: AuthModule,
      imports: [
        PassportModule,
        ThrottlerModule.forRootAsync({
          inject: [BaseConfig],
          useFactory: (config: BaseConfig) => [{ ttl: 60_000, limit: config.NWD_RATE_LIMIT_PER_MINUTE }],
        }),
      ],
      controllers: [WhoamiController],
      providers: [
        keyResolver,
        DenyList,
        DenyListFeed,
        JwtStrategy,
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_GUARD, useClass: ClientThrottlerGuard },
      ],
      exports: [DenyList],
    };
  }
}
