import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

export const FHIR_JSON = 'application/fhir+json';

/**
 * Lets the service read `application/fhir+json` bodies with Fastify's own JSON parser, under the
 * same rules as JSON (a `__proto__` key refused while parsing).
 */
@Injectable()
export class FhirJsonParser implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser(FHIR_JSON)) return;
    fastify.addContentTypeParser(FHIR_JSON, { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'ignore'));
  }
}
