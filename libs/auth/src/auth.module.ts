import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { BaseConfig } from '@nwd/config';
import { DenyList } from './deny-list';
import { DenyListFeed } from './deny-list.feed';
import { AuthenticatedGuard, ClientThrottlerGuard, JwtAuthGuard, RolesGuard } from './guards';
import { JwtStrategy } from './jwt.strategy';
import { rateLimits } from './rate-limits';
import { JwksKeyResolver, SigningKeyResolver } from './signing-key-resolver';
import { WhoamiController } from './whoami.controller';

export interface AuthModuleOptions {
  /** Where public keys come from; defaults to the directory's JWKS (the directory itself resolves its own keys). */
  keyResolver?: Omit<Provider<SigningKeyResolver>, 'provide'> & ({ useExisting: unknown } | { useClass: unknown });
}

/**
 * Authentication for a service: every route needs a valid access token unless @Public(); the
 * caller's rate limit is counted (per client, or per address without a verified token, failed
 * ones included), then a refused token is answered 401, then @Roles() are checked. Guards are
 * APP_GUARD providers, so test apps built from the same module enforce the same rules.
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
          inject: [BaseConfig, Reflector],
          useFactory: rateLimits,
        }),
      ],
      controllers: [WhoamiController],
      providers: [
        keyResolver,
        DenyList,
        DenyListFeed,
        JwtStrategy,
        // In this order: a refused token is counted by the limiter before it is answered with 401.
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: ClientThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthenticatedGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
      exports: [DenyList],
    };
  }
}
