import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v4 as uuidv4 } from 'uuid';
import { actorOf, Principal } from '@nwd/auth';
import { Clock } from '@nwd/clock';
import { DomainError } from '@nwd/errors';
import { NotificationsConfig } from '../notifications.config';
import { IssuedNatsCredentialResponse, NatsCredentialResponse } from './dto/nats-credential.response';
import { PartnerCredential } from './partner-credential.entity';
import { PartnerCredentialsRevocationSync } from './partner-credentials-revocation.sync';
import { PartnerCredentialsRepository } from './partner-credentials.repository';
import { PartnerNats } from './partner-nats';

/**
 * An organization's own NATS credentials for its partner feed, managed by its org admins:
 * issued (the `.creds` shown once), listed, rotated (the old one keeps working for the overlap,
 * then is revoked) and revoked (the server closes its connections and refuses new ones).
 */
@Injectable()
export class PartnerCredentialsService {
  private readonly logger = new Logger(PartnerCredentialsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly credentials: PartnerCredentialsRepository,
    private readonly nats: PartnerNats,
    private readonly sync: PartnerCredentialsRevocationSync,
    private readonly config: NotificationsConfig,
    private readonly clock: Clock,
  ) {}

  async issue(principal: Principal): Promise<IssuedNatsCredentialResponse> {
    const issued = await this.newCredential(principal);
    await this.dataSource.transaction((manager) => this.credentials.insert(manager, issued.credential));
    return issued.response;
  }

  async list(principal: Principal): Promise<NatsCredentialResponse[]> {
    return (await this.credentials.list(actorOf(principal))).map(view);
  }

  /** New credentials; the old ones work until the overlap ends (`NWD_PARTNER_NATS_ROTATION_OVERLAP_SECONDS`), at once if it is 0. */
  async rotate(principal: Principal, id: string): Promise<IssuedNatsCredentialResponse> {
    const actor = actorOf(principal);
    const now = this.clock.now();
    const overlap = this.config.NWD_PARTNER_NATS_ROTATION_OVERLAP_SECONDS;
    const issued = await this.dataSource.transaction(async (manager) => {
      const old = await this.credentials.getForUpdate(manager, actor, id);
      if (old.status === 'revoked') throw DomainError.conflict('notifications.nats-credential-revoked', `NATS credential ${id} is revoked`);
      if (old.replacedBy) throw DomainError.conflict('notifications.nats-credential-rotated', `NATS credential ${id} was already rotated`, { replacedBy: old.replacedBy });
      // Signing is local (no NATS round trip): it may run under the row lock.
      const issued = await this.newCredential(principal);
      await this.credentials.insert(manager, issued.credential);
      await this.credentials.update(manager, actor, id, {
        replacedBy: issued.credential.id,
        ...(overlap ? { expiresAt: new Date(now.getTime() + overlap * 1000) } : { status: 'revoked', revokedAt: now }),
      });
      return issued;
    });
    if (!overlap) await this.pushRevocations();
    return issued.response;
  }

  /** Final; repeating it changes nothing. The server refuses the credential at once, or at the sync's next run if NATS is unreachable now. */
  async revoke(principal: Principal, id: string): Promise<void> {
    const actor = actorOf(principal);
    await this.dataSource.transaction(async (manager) => {
      const credential = await this.credentials.getForUpdate(manager, actor, id);
      if (credential.status === 'revoked') return;
      await this.credentials.update(manager, actor, id, { status: 'revoked', revokedAt: this.clock.now() });
    });
    await this.pushRevocations();
  }

  private async newCredential(principal: Principal): Promise<{ credential: PartnerCredential; response: IssuedNatsCredentialResponse }> {
    const { organizationId } = principal;
    const { publicKey, creds, issuedAt } = await this.nats.issue(organizationId);
    const credential: PartnerCredential = {
      id: uuidv4(),
      organizationId,
      publicKey,
      status: 'active',
      issuedAt,
      issuedByClientId: principal.subject,
      expiresAt: null,
      replacedBy: null,
      revokedAt: null,
    };
    return { credential, response: { ...view(credential), creds, connection: this.nats.connectionDetails(organizationId) } };
  }

  private async pushRevocations(): Promise<void> {
    // Stored already: if NATS cannot be reached now, the periodic sync pushes it.
    await this.sync.run(this.clock.now()).catch((error: Error) => this.logger.warn(`revocation push failed, the sync retries: ${error.message}`));
  }
}

function view(credential: PartnerCredential): NatsCredentialResponse {
  const { id, organizationId, publicKey, status, issuedAt, expiresAt, replacedBy, revokedAt } = credential;
  return { id, organizationId, publicKey, status, issuedAt, expiresAt, replacedBy, revokedAt };
}
