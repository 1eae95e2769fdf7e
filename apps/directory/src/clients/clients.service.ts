import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v4 as uuidv4 } from 'uuid';
import { isNetworkAdmin, Principal } from '@nwd/auth';
import { IdentityEvents } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { Outbox } from '@nwd/messaging';
import { AuditLog } from '../audit/audit-log';
import { Clock } from '@nwd/clock';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import { ApiClient } from './api-client.entity';
import { ClientsRepository } from './clients.repository';
import { generateClientSecret, hashClientSecret } from './client-secret';
import { DirectoryConfig } from '../directory.config';
import { CreateClientDto, UpdateClientDto } from './dto/client.dto';
import { IssuedCredentialsResponse } from './dto/client.response';

@Injectable()
export class ClientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: ClientsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly outbox: Outbox,
    private readonly auditLog: AuditLog,
    private readonly config: DirectoryConfig,
    private readonly clock: Clock,
  ) {}

  create(principal: Principal, organizationId: string, input: CreateClientDto): Promise<IssuedCredentialsResponse> {
    this.assertMayAdminister(principal, organizationId);
    if (input.roles.includes('network-admin') && !isNetworkAdmin(principal)) {
      throw DomainError.forbidden('directory.role-not-grantable', 'Only a network admin may grant the network-admin role');
    }
    return this.dataSource.transaction(async (manager) => {
      const organization = await this.organizations.get(organizationId, manager);
      if (organization.status !== 'active') {
        throw DomainError.unprocessable('directory.organization-suspended', `Organization ${organizationId} is suspended`);
      }
      const clientSecret = generateClientSecret();
      const client = await this.clients.insert(manager, {
        id: uuidv4(),
        organizationId,
        name: input.name,
        roles: input.roles,
        secretHash: await hashClientSecret(clientSecret),
        status: 'active',
      });
      await this.auditLog.record(manager, principal, 'client.created', { type: 'client', id: client.id }, {
        organizationId,
        name: input.name,
        roles: input.roles,
      });
      return { clientId: client.id, clientSecret, organizationId, name: client.name, roles: client.roles, createdAt: client.createdAt };
    });
  }

  async list(principal: Principal, organizationId: string): Promise<ApiClient[]> {
    this.assertMayAdminister(principal, organizationId);
    await this.organizations.get(organizationId);
    return this.clients.list(organizationId);
  }

  /** A new secret; tokens issued with the old one stop working on every service. */
  rotate(principal: Principal, organizationId: string, clientId: string): Promise<IssuedCredentialsResponse> {
    this.assertMayAdminister(principal, organizationId);
    return this.dataSource.transaction(async (manager) => {
      const client = await this.clients.getForUpdate(manager, organizationId, clientId);
      if (client.status === 'revoked') throw DomainError.conflict('directory.client-revoked', `Client ${clientId} is revoked`);
      const clientSecret = generateClientSecret();
      const rotatedAt = this.clock.now();
      await this.clients.update(manager, organizationId, clientId, { secretHash: await hashClientSecret(clientSecret), rotatedAt });
      await this.outbox.append(manager, IdentityEvents.clientRotated, { organizationId, clientId, rotatedAt: rotatedAt.toISOString() });
      await this.auditLog.record(manager, principal, 'client.rotated', { type: 'client', id: clientId }, { organizationId });
      return { clientId, clientSecret, organizationId, name: client.name, roles: client.roles, createdAt: client.createdAt };
    });
  }

  /**
   * A client's own rate limit (a bulk integration may need more than the default), up to the
   * network maximum; network admins only, since the organization's own admin would grant itself.
   * Carried in the client's tokens, so it applies from its next token on every service.
   */
  update(principal: Principal, organizationId: string, clientId: string, input: UpdateClientDto): Promise<ApiClient> {
    if (!isNetworkAdmin(principal)) {
      throw DomainError.forbidden('auth.role-required', 'This action requires one of the roles: network-admin');
    }
    const maximum = this.config.NWD_RATE_LIMIT_MAX_PER_MINUTE;
    if (input.rateLimitPerMinute !== null && input.rateLimitPerMinute > maximum) {
      throw DomainError.invalidField('rateLimitPerMinute', `rateLimitPerMinute must not be greater than the network maximum of ${maximum}`);
    }
    return this.dataSource.transaction(async (manager) => {
      const client = await this.clients.getForUpdate(manager, organizationId, clientId);
      if (client.status === 'revoked') throw DomainError.conflict('directory.client-revoked', `Client ${clientId} is revoked`);
      await this.clients.update(manager, organizationId, clientId, { rateLimitPerMinute: input.rateLimitPerMinute });
      await this.auditLog.record(manager, principal, 'client.updated', { type: 'client', id: clientId }, {
        organizationId,
        rateLimitPerMinute: { from: client.rateLimitPerMinute, to: input.rateLimitPerMinute },
      });
      return { ...client, rateLimitPerMinute: input.rateLimitPerMinute };
    });
  }

  /** Revocation is final; repeating it changes nothing. */
  revoke(principal: Principal, organizationId: string, clientId: string): Promise<void> {
    this.assertMayAdminister(principal, organizationId);
    return this.dataSource.transaction(async (manager) => {
      const client = await this.clients.getForUpdate(manager, organizationId, clientId);
      if (client.status === 'revoked') return;
      const revokedAt = this.clock.now();
      await this.clients.update(manager, organizationId, clientId, { status: 'revoked', revokedAt });
      await this.outbox.append(manager, IdentityEvents.clientRevoked, { organizationId, clientId, revokedAt: revokedAt.toISOString() });
      await this.auditLog.record(manager, principal, 'client.revoked', { type: 'client', id: clientId }, { organizationId });
    });
  }

  private assertMayAdminister(principal: Principal, organizationId: string): void {
    if (isNetworkAdmin(principal)) return;
    if (principal.organizationId === organizationId && principal.roles.includes('org-admin')) return;
    throw DomainError.forbidden('directory.clients-forbidden', 'Only a network admin or the organization’s own admin manages its clients');
  }
}
