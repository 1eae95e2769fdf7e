import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ThrottlerGuard } from '@nestjs/throttler';
import { DomainError } from '@nwd/errors';
import { ROLES_KEY } from './decorators';
import { Principal, Role } from './principal';
import { IS_PUBLIC } from './public.decorator';

function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true;
}

const PASSPORT_FAILURES: Record<string, [string, string]> = {
  TokenExpiredError: ['auth.token-expired', 'The access token has expired'],
  JsonWebTokenError: ['auth.token-invalid', 'The access token is invalid'],
  NotBeforeError: ['auth.token-not-yet-valid', 'The access token is not valid yet'],
};

/** Every route needs a valid token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (isPublic(this.reflector, context)) return true;
    return super.canActivate(context);
  }

  override handleRequest<T>(error: unknown, principal: T, info: unknown): T {
    if (error instanceof DomainError) throw error;
    if (principal) return principal;
    const name = (info as Error | undefined)?.name ?? '';
    const [code, message] = PASSPORT_FAILURES[name] ?? [
      'auth.unauthenticated',
      info instanceof Error && /No auth token/i.test(info.message) ? 'A bearer access token is required' : 'The access token is invalid',
    ];
    const detail = info instanceof Error && name === 'JsonWebTokenError' ? `${message}: ${info.message}` : message;
    throw DomainError.unauthenticated(code, detail);
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

/** Rate limits per verified API client (per address for public routes), so one partner cannot starve the rest. */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = request.user as Principal | undefined;
    return principal ? `client:${principal.subject}` : `ip:${String(request.ip)}`;
  }
}
