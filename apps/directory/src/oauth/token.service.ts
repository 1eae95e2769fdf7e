import { Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { v4 as uuidv4 } from 'uuid';
import { CodeOfKind, DomainError, ErrorCode } from '@nwd/errors';
import { ClientsRepository } from '../clients/clients.repository';
import { Clock } from '@nwd/clock';
import { hashClientSecret, verifyClientSecret } from '../clients/client-secret';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import { DirectoryConfig } from '../directory.config';
import { BoundedWorkQueue, WorkQueueFull } from './bounded-work-queue';
import { FailedSecretBackoff } from './failed-secret-backoff';
import { SigningKeys, TOKEN_ALGORITHM } from './signing-keys';
import { TokenResponse } from './dto/token.response';


const OAUTH_ERROR_CODES = {
  invalid_request: 'oauth.invalid-request',
  unsupported_grant_type: 'oauth.unsupported-grant-type',
  invalid_client: 'oauth.invalid-client',
} as const satisfies Record<string, ErrorCode>;

/** RFC 6749 §5.2 errors, as problem documents that also carry `error` and `error_description`. */
export function oauthError(error: keyof typeof OAUTH_ERROR_CODES, description: string): DomainError {
  return DomainError.of(OAUTH_ERROR_CODES[error], description, { error, error_description: description });
}

function tooManyRequests(code: CodeOfKind<'rate-limited'>, description: string, retryAfterMs: number): DomainError {
  return DomainError.rateLimited(code, description, retryAfterMs / 1000, { error: 'temporarily_unavailable', error_description: description });
}

const MINUTE_MS = 60_000;

@Injectable()
export class TokenService {
  /** Compared against when the client id is unknown, so response time does not reveal which ids exist. */
  private readonly decoyHash = hashClientSecret('decoy');
  /** Guessing gets slower per client id; see FailedSecretBackoff for why it cannot lock a client out for good. */
  private readonly backoff: FailedSecretBackoff;
  /** A flood of token requests gets fast 429s rather than a queue of scrypt work that starves everything else. */
  private readonly secretChecks: BoundedWorkQueue;

  constructor(
    private readonly config: DirectoryConfig,
    private readonly clients: ClientsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
  ) {
    this.backoff = new FailedSecretBackoff({
      failuresBeforeLock: config.NWD_TOKEN_FAILURES_BEFORE_BACKOFF,
      firstLockMs: 1000,
      maxLockMs: config.NWD_TOKEN_BACKOFF_MAX_SECONDS * 1000,
      forgetAfterMs: 15 * MINUTE_MS,
      knownAddressMs: 24 * 60 * MINUTE_MS,
      maxTracked: 10_000,
    }, () => clock.nowMs());
    this.secretChecks = new BoundedWorkQueue(config.NWD_SECRET_CHECK_CONCURRENCY, config.NWD_SECRET_CHECK_QUEUE_LIMIT);
  }

  /** `address` is the caller's, as the trusted gateway reports it. */
  async issue(clientId: string, clientSecret: string, address: string): Promise<TokenResponse> {
    const lockedMs = this.backoff.lockedFor(clientId, address);
    if (lockedMs > 0) {
      throw tooManyRequests('oauth.too-many-failures', 'Too many failed attempts for this client; try again later', lockedMs);
    }
    const client = await this.clients.findWithSecretHash(clientId);
    const stored = client?.secretHash ?? (await this.decoyHash);
    const secretMatches = await this.secretChecks.run(() => verifyClientSecret(clientSecret, stored)).catch((error: unknown) => {
      if (error instanceof WorkQueueFull) throw tooManyRequests('oauth.busy', 'The token endpoint is busy; try again shortly', 1000);
      throw error;
    });
    if (!client || !secretMatches || client.status !== 'active') {
      this.backoff.failed(clientId);
      throw oauthError('invalid_client', 'Unknown client, wrong secret or revoked client');
    }
    this.backoff.succeeded(clientId, address);
    const organization = await this.organizations.get(client.organizationId);
    if (organization.status !== 'active') {
      throw oauthError('invalid_client', 'The client’s organization is suspended');
    }
    const key = await this.keys.current();
    const ttl = this.config.NWD_TOKEN_TTL_SECONDS;
    // The client's own limit travels in its tokens, so every service applies it without asking the directory;
    // a change applies from the client's next token.
    const rateLimit = client.rateLimitPerMinute === null ? {} : { rate_limit: client.rateLimitPerMinute };
    // Issue and expiry come from the directory's clock, as a rotation's time does: the deny-list compares them.
    const issuedAt = Math.floor(this.clock.nowMs() / 1000);
    const accessToken = await new SignJWT({ org: client.organizationId, roles: client.roles, ...rateLimit })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
      .setSubject(client.id)
      .setIssuer(this.config.NWD_JWT_ISSUER)
      .setAudience(this.config.NWD_JWT_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttl)
      .setJti(uuidv4())
      .sign(key.privateKey);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ttl };
  }
}
