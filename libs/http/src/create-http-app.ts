import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from '@fastify/helmet';
import { frameworkErrorProblem } from './framework-errors';
import { createOpenApiDocument } from './openapi/openapi-document';
import { Logger } from 'nestjs-pino';
import { BaseConfig, trustedProxies } from '@nwd/config';
import { acceptedRequestId, MetricsRegistry, REQUEST_ID_HEADER, RequestContext } from '@nwd/observability';

export interface HttpAppOptions {
  title: string;
  description: string;
  /** Test apps keep quiet unless LOG_LEVEL asks otherwise. */
  bufferLogs?: boolean;
}

/**
 * Builds a service's Fastify application: used by main.ts and by every e2e test, so body limits,
 * headers, docs, metrics and request ids are the same in both.
 */
export async function createHttpApp(
  module: DynamicModule | Type<unknown>,
  config: BaseConfig,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    frameworkErrors: frameworkErrorProblem,
    bodyLimit: config.NWD_BODY_LIMIT_BYTES,
    // Only the configured gateway may name the caller's address: anyone else could claim a new one per request
    // and start a fresh per-address rate limit each time.
    trustProxy: trustedProxies(config.NWD_TRUSTED_PROXIES),
    // Specs name their roots with a slash (HSDS: `GET /`), and clients copy them; `/x/` answers as `/x`.
    routerOptions: { ignoreTrailingSlash: true },
    genReqId: (req: IncomingMessage) => {
      return acceptedRequestId(req.headers[REQUEST_ID_HEADER]) ?? randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: options.bufferLogs ?? true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    request.headers[REQUEST_ID_HEADER] = String(request.id);
    void reply.header(REQUEST_ID_HEADER, request.id);
    RequestContext.run(String(request.id), done);
  });
  const metrics = app.get(MetricsRegistry);
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration
      .labels(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
    done();
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });

  const document = createOpenApiDocument(app, options);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  await app.init();
  await fastify.ready();
  return app;
}
