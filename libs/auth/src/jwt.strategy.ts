import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { decodeProtectedHeader } from 'jose';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { BaseConfig } from '@nwd/config';
import { DomainError } from '@nwd/errors';
import { DenyList } from './deny-list';
import { Principal, ROLES, Role } from './principal';
import { SigningKeyResolver } from './signing-key-resolver';

/** Only asymmetric signatures: `none` and HS256 (signed with a public key as the secret) are refused. */
export const ACCEPTED_ALGORITHMS: ['RS256'] = ['RS256'];

interface AccessTokenClaims {
  sub?: unknown;
  org?: unknown;
  roles?: unknown;
  iat?: unknown;
  /** Requests per minute granted to this client by a network admin; absent: the network default. */
  rate_limit?: unknown;
}

/** Verifies access tokens locally: signature from the directory's keys, issuer, audience, expiry, then the deny-list. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly config: BaseConfig,
    keys: SigningKeyResolver,
    private readonly denyList: DenyList,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      issuer: config.NWD_JWT_ISSUER,
      audience: config.NWD_JWT_AUDIENCE,
      algorithms: ACCEPTED_ALGORITHMS,
      ignoreExpiration: false,
      secretOrKeyProvider: (_request: unknown, rawToken: string, done: (error: unknown, key?: string) => void) => {
        let kid: string | undefined;
        try {
          kid = decodeProtectedHeader(rawToken).kid;
        } catch {
          return done(DomainError.unauthenticated('auth.token-malformed', 'The access token is not a JWT'));
        }
        keys.publicKey(kid).then(
          // jsonwebtoken verifies with a KeyObject as well as a PEM string; passport-jwt's types only know the string.
          (key) => done(null, key as unknown as string),
          () => done(DomainError.unauthenticated('auth.unknown-signing-key', 'The access token was not signed by this network')),
        );
      },
    });
  }

  validate(claims: AccessTokenClaims): Principal {
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is Role => ROLES.includes(r)) : [];
    if (typeof claims.sub !== 'string' || typeof claims.org !== 'string' || typeof claims.iat !== 'number' || !roles.length) {
      throw DomainError.unauthenticated('auth.token-claims', 'The access token lacks sub, org, roles or iat');
    }
    const principal: Principal = { subject: claims.sub, organizationId: claims.org, roles, issuedAt: claims.iat };
    if (Number.isInteger(claims.rate_limit) && (claims.rate_limit as number) > 0) {
      // Capped here too: a service applies at most its own network maximum, whatever a token says.
      principal.rateLimitPerMinute = Math.min(claims.rate_limit as number, this.config.NWD_RATE_LIMIT_MAX_PER_MINUTE);
    }
    const refusal = this.denyList.refusal(principal);
    if (refusal) throw DomainError.unauthenticated(refusal.code, refusal.reason);
    return principal;
  }
}
