import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { normalizeIp, ThrottlerModuleOptions } from '@nestjs/throttler';
import { BaseConfig } from '@nwd/config';
import { DomainError } from '@nwd/errors';
import { Principal } from './principal';
import { SlidingWindowThrottlerStorage } from './sliding-window-throttler.storage';

export const CREDENTIAL_EXCHANGE = 'nwd:credentialExchange';

/** A public route where callers present secrets (the token endpoint): also counted in the per-address credential budget. */
export const CredentialExchange = (): MethodDecorator & ClassDecorator => SetMetadata(CREDENTIAL_EXCHANGE, true);

/** What the guards leave on a request: the verified caller, or why its token was refused. */
export interface AuthenticatedRequest {
  user?: Principal;
  authFailure?: DomainError;
  ip: string;
}

const MINUTE_MS = 60_000;

const requestOf = (context: ExecutionContext) => context.switchToHttp().getRequest<AuthenticatedRequest>();

/** One IPv6 /64 is one subscriber: counting its addresses one by one would give each caller 2^64 budgets. */
const addressOf = (request: AuthenticatedRequest) => `ip:${normalizeIp(request.ip)}`;

/**
 * Three budgets, each counted over a sliding minute and across all routes together (not per
 * route, the library's default), in this process's memory (SlidingWindowThrottlerStorage):
 * - a verified API client: its own limit from the token, or NWD_RATE_LIMIT_PER_MINUTE;
 * - an address, for every request without a verified token (open data, JWKS, docs, health, and
 *   requests whose token failed): NWD_PUBLIC_RATE_LIMIT_PER_MINUTE;
 * - an address, for credential attempts only (token requests and failed authentications):
 *   NWD_CREDENTIAL_RATE_LIMIT_PER_MINUTE, so guessing is slow even where open data is generous.
 * The client budget is named `default` so its headers stay the plain `X-RateLimit-*` ones.
 */
export function rateLimits(config: BaseConfig, reflector: Reflector): ThrottlerModuleOptions {
  const isCredentialAttempt = (context: ExecutionContext) =>
    requestOf(context).authFailure !== undefined ||
    reflector.getAllAndOverride<boolean>(CREDENTIAL_EXCHANGE, [context.getHandler(), context.getClass()]) === true;
  return {
    storage: new SlidingWindowThrottlerStorage(),
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    throttlers: [
      {
        name: 'default',
        ttl: MINUTE_MS,
        limit: (context) => requestOf(context).user?.rateLimitPerMinute ?? config.NWD_RATE_LIMIT_PER_MINUTE,
        skipIf: (context) => !requestOf(context).user,
        getTracker: (request) => `client:${(request as AuthenticatedRequest).user!.subject}`,
      },
      {
        name: 'public',
        ttl: MINUTE_MS,
        limit: config.NWD_PUBLIC_RATE_LIMIT_PER_MINUTE,
        skipIf: (context) => requestOf(context).user !== undefined,
        getTracker: (request) => addressOf(request as AuthenticatedRequest),
        setHeaders: false,
      },
      {
        name: 'credentials',
        ttl: MINUTE_MS,
        limit: config.NWD_CREDENTIAL_RATE_LIMIT_PER_MINUTE,
        skipIf: (context) => !isCredentialAttempt(context),
        getTracker: (request) => addressOf(request as AuthenticatedRequest),
        setHeaders: false,
      },
    ],
  };
}
