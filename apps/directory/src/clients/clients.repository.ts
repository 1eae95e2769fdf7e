import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@nwd/errors';
import { ApiClient } from './api-client.entity';

/** An organization's API clients: every read and write names the organization, so one cannot reach another's. */
@Injectable()
export class ClientsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a new client and returns it as stored (with its creation time). */
  async insert(manager: EntityManager, client: Omit<ApiClient, 'createdAt' | 'rotatedAt' | 'revokedAt' | 'rateLimitPerMinute'>): Promise<ApiClient> {
    await manager.insert(ApiClient, client);
    return manager.findOneByOrFail(ApiClient, { id: client.id, organizationId: client.organizationId });
  }

  list(organizationId: string): Promise<ApiClient[]> {
    return this.dataSource.getRepository(ApiClient).find({ where: { organizationId }, order: { createdAt: 'ASC' } });
  }

  /** Locks the client for an update in the caller's transaction. */
  async getForUpdate(manager: EntityManager, organizationId: string, clientId: string): Promise<ApiClient> {
    const client = await manager.findOne(ApiClient, { where: { id: clientId, organizationId }, lock: { mode: 'pessimistic_write' } });
    if (!client) throw DomainError.notFound('directory.client-not-found', `Organization ${organizationId} has no client ${clientId}`);
    return client;
  }

  async update(manager: EntityManager, organizationId: string, clientId: string, changes: Partial<ApiClient>): Promise<void> {
    await manager.update(ApiClient, { id: clientId, organizationId }, changes);
  }

  /**
   * The client a token request names, with its secret's hash (never read otherwise). The client id is the
   * credential here: whose organization it is follows from it.
   */
  findWithSecretHash(clientId: string): Promise<ApiClient | null> {
    return this.dataSource.getRepository(ApiClient).createQueryBuilder('c').addSelect('c.secretHash').where('c.id = :clientId', { clientId }).getOne();
  }
}
