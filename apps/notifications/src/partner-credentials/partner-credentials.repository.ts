import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, SystemAccess } from '@nwd/auth';
import { DomainError } from '@nwd/errors';
import { PartnerCredential } from './partner-credential.entity';

/** Partner NATS credentials. An organization's reads and writes name it; the revocation sync reads all, on purpose. */
@Injectable()
export class PartnerCredentialsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, credential: PartnerCredential): Promise<void> {
    await manager.insert(PartnerCredential, credential);
  }

  list(actor: Actor): Promise<PartnerCredential[]> {
    return this.dataSource.getRepository(PartnerCredential).find({ where: { organizationId: actor.organizationId }, order: { issuedAt: 'ASC', id: 'ASC' } });
  }

  /** Locks one of the actor's credentials for a change in the caller's transaction. */
  async getForUpdate(manager: EntityManager, actor: Actor, id: string): Promise<PartnerCredential> {
    const credential = await manager.findOne(PartnerCredential, { where: { id, organizationId: actor.organizationId }, lock: { mode: 'pessimistic_write' } });
    if (!credential) throw DomainError.notFound('notifications.nats-credential-not-found', `Your organization has no NATS credential ${id}`);
    return credential;
  }

  async update(manager: EntityManager, actor: Actor, id: string, changes: Partial<PartnerCredential>): Promise<void> {
    await manager.update(PartnerCredential, { id, organizationId: actor.organizationId }, changes);
  }

  /** Rotated credentials whose overlap has ended become revoked (at the end of their overlap). */
  async expireDue(_: SystemAccess, now: Date): Promise<number> {
    const result = await this.dataSource.query(
      `UPDATE partner_nats_credential SET status = 'revoked', revoked_at = expires_at
        WHERE status = 'active' AND expires_at IS NOT NULL AND expires_at <= $1`,
      [now],
    );
    return result[1] ?? 0;
  }

  /** Every revoked credential of every organization: what the server's account JWT must refuse. */
  revoked(_: SystemAccess): Promise<Pick<PartnerCredential, 'publicKey' | 'issuedAt'>[]> {
    return this.dataSource.getRepository(PartnerCredential).find({ select: { publicKey: true, issuedAt: true }, where: { status: 'revoked' } });
  }
}
