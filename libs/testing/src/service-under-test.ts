import { DynamicModule } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Clock, TestClock } from '@nwd/clock';
import { BaseConfig, buildConfig } from '@nwd/config';
import { createHttpApp } from '@nwd/http';
import { createTestDatabase, TestDatabase } from './database';
import { natsUrl } from './environment';
import { deleteTestStreams, testNatsPrefix } from './nats';
import { validateResponsesAgainst } from './response-validation';
import { ServiceName } from './services';

export interface ServiceUnderTest<C extends BaseConfig> {
  app: NestFastifyApplication;
  config: C;
  database: TestDatabase;
  /** The service's one clock, which tests move (`advance`, `set`) instead of sleeping. */
  clock: TestClock;
  /** The Fastify server for supertest: `request(svc.server)`. */
  server: NestFastifyApplication['getHttpServer'] extends () => infer S ? S : never;
  close(): Promise<void>;
}

export interface BootOptions<C extends BaseConfig> {
  service: ServiceName;
  config: new () => C;
  module: (config: C) => DynamicModule;
  /** Share one namespace between services booted for the same test. */
  natsPrefix?: string;
  /** Reuse a database (e.g. a second instance of the same service). */
  database?: TestDatabase;
  env?: Record<string, unknown>;
}

/** Boots a service the way main.ts does, on its own cloned database and NATS namespace. */
export async function bootService<C extends BaseConfig>(options: BootOptions<C>): Promise<ServiceUnderTest<C>> {
  const database = options.database ?? (await createTestDatabase(options.service));
  const natsPrefix = options.natsPrefix ?? testNatsPrefix();
  const config = buildConfig(options.config, {
    NODE_ENV: 'test',
    PORT: 0,
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    NATS_URL: natsUrl(),
    NWD_NATS_PREFIX: natsPrefix,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...options.env,
  } as Partial<Record<keyof C, unknown>>);
  const app = await createHttpApp(options.module(config), config, { title: options.service, description: 'test' });
  const served = await app.inject({ method: 'GET', url: '/docs/openapi.json' });
  validateResponsesAgainst(app.getHttpServer(), served.json());
  const ownsDatabase = !options.database;
  const ownsPrefix = !options.natsPrefix;
  return {
    app,
    config,
    database,
    clock: TestClock.takeOver(app.get(Clock)),
    server: app.getHttpServer(),
    async close() {
      await app.close();
      if (ownsPrefix) await deleteTestStreams(natsPrefix).catch(() => undefined);
      if (ownsDatabase) await database.drop();
    },
  };
}
