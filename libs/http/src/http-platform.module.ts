import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { BaseConfig } from '@nwd/config';
import { loggerParams, ObservabilityModule } from '@nwd/observability';
import { CredentialsCheckInterceptor } from './credentials-check.interceptor';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createValidationPipe } from './validation';

/**
 * What every service's HTTP side shares. Enhancers are providers here, not `app.useGlobal*()`
 * calls in main.ts, so a test app built from the same module behaves exactly like production.
 */
@Global()
@Module({
  imports: [
    ObservabilityModule,
    LoggerModule.forRootAsync({
      inject: [BaseConfig],
      useFactory: (config: BaseConfig) => loggerParams(config.serviceName, config.LOG_LEVEL),
    }),
  ],
  controllers: [HealthController, MetricsController],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_INTERCEPTOR, useClass: CredentialsCheckInterceptor },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  ],
  exports: [ObservabilityModule],
})
export class HttpPlatformModule {}
