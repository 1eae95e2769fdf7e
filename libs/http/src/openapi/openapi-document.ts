import { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { IS_PUBLIC } from '@nwd/auth';
import { problemResponse } from './api-problems.decorator';
import { ProblemDetailsDto } from './problem-details.dto';

/** @nestjs/swagger's metadata key for security requirements (its constants are not in the package's exports). */
const API_SECURITY = 'swagger/apiSecurity';

export interface OpenApiDocumentOptions {
  title: string;
  description: string;
}

/** `ReferralsController.create` → `referrals_create`: unique per service, stable across releases, names a generated client's methods. */
export function operationIdOf(controllerKey: string, methodKey: string): string {
  // The leading capitals lower-cased whole, so `OAuthController` gives `oauth_token`, not `oAuth_token`.
  const controller = controllerKey.replace(/Controller$/, '').replace(/^[A-Z]+/, (capitals) => capitals.toLowerCase());
  return `${controller}_${methodKey}`;
}

/**
 * The service's OpenAPI document, the contract a partner generates a client from. Security is
 * derived from the same `@Public()` metadata the guards read, so an operation cannot be documented
 * as open while the guard wants a token (or the other way round).
 */
export function createOpenApiDocument(app: INestApplication, options: OpenApiDocumentOptions): OpenAPIObject {
  requireTokenWhereGuarded(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description)
      .setVersion('1')
      .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
      // Relative: the service itself, or the network's gateway that puts all five under one base URL.
      .addServer('/')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from the directory’s POST /oauth/token' })
      .addOAuth2(
        { type: 'oauth2', description: 'Client credentials grant at the directory', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } } },
        'oauth2',
      )
      .addBasicAuth({ type: 'http', scheme: 'basic', description: 'Client id and secret, form-encoded (RFC 6749 §2.3.1): token endpoint only' }, 'basic')
      .build(),
    { operationIdFactory: operationIdOf, extraModels: [ProblemDetailsDto] },
  );
  addPlatformProblems(document);
  keepUsedSecuritySchemes(document);
  return document;
}

/** Marks every route handler the guards protect (not `@Public()`) with the bearer and OAuth2 schemes. */
function requireTokenWhereGuarded(app: INestApplication): void {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller || Reflect.getMetadata(IS_PUBLIC, controller) === true) continue;
      for (const key of Object.getOwnPropertyNames(controller.prototype)) {
        const descriptor = Object.getOwnPropertyDescriptor(controller.prototype, key);
        const handler: unknown = descriptor?.value;
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined || Reflect.getMetadata(IS_PUBLIC, handler) === true) continue;
        // Replaced, not added to: `@Roles()` already declares the bearer scheme on some, and one requirement list reads clearest.
        Reflect.defineMetadata(API_SECURITY, [{ bearer: [] }, { oauth2: [] }], handler);
      }
    }
  }
}

const BODY_METHODS = new Set(['post', 'put', 'patch']);

/**
 * The problems every route can answer whatever it does: the global input checks (400), the rate
 * limit (429), an unexpected error (500); with a token required, 401 and 403; with a body, 413 and
 * 415. Error responses declared without a body get the one problem schema.
 */
function addPlatformProblems(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item) as [string, { security?: object[]; responses: Record<string, { description: string; content?: unknown }> }][]) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      // Open routes say so (`security: []`), so a reader need not wonder whether one was forgotten.
      operation.security ??= [];
      // Class and method decorators both contribute requirements; the same one twice is invalid OpenAPI.
      if (operation.security) operation.security = [...new Map(operation.security.map((r) => [JSON.stringify(r), r])).values()];
      const authenticated = (operation.security ?? []).some((requirement) => 'bearer' in requirement || 'oauth2' in requirement);
      const statuses = [400, 429, 500, ...(authenticated ? [401, 403] : []), ...(BODY_METHODS.has(method) ? [413, 415] : [])];
      for (const status of statuses) operation.responses[status] ??= problemResponse(status);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400 && !response.content) response.content = problemResponse(Number(status)).content;
      }
    }
  }
}

/** The schemes are declared once for all services; each document keeps the ones its operations use. */
function keepUsedSecuritySchemes(document: OpenAPIObject): void {
  const used = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as { security?: object[] }[]) {
      for (const requirement of operation?.security ?? []) for (const name of Object.keys(requirement)) used.add(name);
    }
  }
  const schemes = document.components?.securitySchemes ?? {};
  for (const name of Object.keys(schemes)) if (!used.has(name)) delete schemes[name];
}
