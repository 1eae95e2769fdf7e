import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { CodeOfKind, DomainError } from '@nwd/errors';
import { ROLES_KEY } from './decorators';
import { Principal, Role } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { AuthenticatedRequest } from './rate-limits';

function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true;
}

/**
 * Stable details for the verifier's failures. Its own messages ("invalid signature", "jwt issuer
 * invalid. expected: …") tell a forger what to fix and name our configuration, so they stay out.
 */
const PASSPORT_FAILURES: Record<string, [CodeOfKind<'unauthenticated'>, string]> = {
  TokenExpiredError: ['auth.token-expired', 'The access token has expired'],
  JsonWebTokenError: ['auth.token-invalid', 'The access token is invalid'],
  NotBeforeError: ['auth.token-not-yet-valid', 'The access token is not valid yet'],
};

/**
 * Every route needs a valid token unless marked @Public(). A refused token does not stop the
 * request here: the failure is left on the request, the rate limiter counts it against the
 * caller's address, and AuthenticatedGuard then answers 401 (or the limiter 429). Guards run in
 * AuthModule's order: this, ClientThrottlerGuard, AuthenticatedGuard, RolesGuard.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (isPublic(this.reflector, context)) return true;
    return super.canActivate(context);
  }

  override handleRequest<T>(error: unknown, principal: T, info: unknown, context: ExecutionContext): T {
    if (principal && !error) return principal;
    context.switchToHttp().getRequest<AuthenticatedRequest>().authFailure = authenticationFailure(error, info);
    return undefined as T;
  }
}

function authenticationFailure(error: unknown, info: unknown): DomainError {
  // Our own refusals carry codes and details we wrote: passport-jwt reports the deny-list's and the
  // claims' as errors, and the key lookup's (malformed token, unknown key) as failure info.
  if (error instanceof DomainError) return error;
  if (info instanceof DomainError) return info;
  const name = (info as Error | undefined)?.name ?? '';
  const [code, message]: [CodeOfKind<'unauthenticated'>, string] = PASSPORT_FAILURES[name] ?? [
    'auth.unauthenticated',
    info instanceof Error && /No auth token/i.test(info.message) ? 'A bearer access token is required' : 'The access token is invalid',
  ];
  return DomainError.unauthenticated(code, message);
}

/**
 * Answers 401 for a refused token, once the rate limiter has counted it. Fails closed: a protected
 * route that reaches it without a verified caller is refused even if no failure was recorded.
 */
@Injectable()
export class AuthenticatedGuard {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublic(this.reflector, context)) return true;
    const { user, authFailure } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (authFailure) throw authFailure;
    if (!user) throw DomainError.unauthenticated('auth.unauthenticated', 'A bearer access token is required');
    return true;
  }
}

@Injectable()
export class RolesGuard {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublic(this.reflector, context)) return true;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!required?.length) return true;
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (principal?.roles.some((role) => required.includes(role))) return true;
    throw DomainError.forbidden('auth.role-required', `This action requires one of the roles: ${required.join(', ')}`);
  }
}

/**
 * Rate limits per verified API client, and per address for everything else (see rateLimits), so
 * one partner cannot starve the rest and nobody gets unlimited tries at a token.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    // The library names the header after the throttler (`Retry-After-public`); clients know only the plain one.
    void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', detail.timeToBlockExpire);
    return super.throwThrottlingException(context, detail);
  }
}
