import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { isNetworkAdmin, Principal } from '@nwd/auth';
import { IdentityEvents, ORGANIZATION_PROTECTIONS, OrganizationProtection } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { Outbox } from '@nwd/messaging';
import { AuditActor, AuditLog } from '../audit/audit-log';
import { Clock } from '@nwd/clock';
import { CreateOrganizationDto, ListOrganizationsQueryDto, UpdateOrganizationDto } from './dto/organization.dto';
import { NetworkOrganization } from './network-organization.entity';
import { OrganizationsRepository } from './organizations.repository';

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsRepository,
    private readonly outbox: Outbox,
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
  ) {}

  create(actor: AuditActor, input: CreateOrganizationDto): Promise<NetworkOrganization> {
    return this.dataSource.transaction(async (manager) => {
      const organization = await this.organizations.insert(manager, { id: uuidv7(), name: input.name, kind: input.kind, status: 'active' });
      await this.auditLog.record(manager, actor, 'organization.created', { type: 'organization', id: organization.id }, {
        name: input.name,
        kind: input.kind,
      });
      return organization;
    });
  }

  /** Membership is not secret among members: any authenticated caller may look organizations up to refer to them. */
  list(_principal: Principal, query: ListOrganizationsQueryDto): Promise<NetworkOrganization[]> {
    return this.organizations.list(query);
  }

  get(_principal: Principal, id: string): Promise<NetworkOrganization> {
    return this.organizations.get(id);
  }

  /**
   * Network admins change anything; an org admin may rename its own organization but not change
   * its kind or status. Suspension and reactivation are announced so every service's deny-list follows.
   */
  update(principal: Principal, id: string, input: UpdateOrganizationDto): Promise<NetworkOrganization> {
    const admin = isNetworkAdmin(principal);
    const ownOrgAdmin = principal.organizationId === id && principal.roles.includes('org-admin');
    if (!admin && !(ownOrgAdmin && input.kind === undefined && input.status === undefined && input.protections === undefined)) {
      throw DomainError.forbidden(
        'directory.organization-update-forbidden',
        ownOrgAdmin ? 'Only a network admin may change kind, status or protections' : 'Only a network admin or the organization’s own admin may update it',
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const current = await this.organizations.getForUpdate(manager, id);
      const changes: Partial<NetworkOrganization> = {};
      if (input.name !== undefined && input.name !== current.name) changes.name = input.name;
      if (input.kind !== undefined && input.kind !== current.kind) changes.kind = input.kind;
      if (input.status !== undefined && input.status !== current.status) changes.status = input.status;
      const protections = input.protections && canonicalProtections(input.protections);
      if (protections && protections.join() !== canonicalProtections(current.protections).join()) changes.protections = protections;
      if (!Object.keys(changes).length) return current;
      const updated = await this.organizations.update(manager, id, changes);
      const now = this.clock.now().toISOString();
      if (changes.status === 'suspended') {
        await this.outbox.append(manager, IdentityEvents.organizationSuspended, { organizationId: id, suspendedAt: now });
        await this.auditLog.record(manager, principal, 'organization.suspended', { type: 'organization', id });
      } else if (changes.status === 'active') {
        await this.outbox.append(manager, IdentityEvents.organizationReactivated, { organizationId: id, reactivatedAt: now });
        await this.auditLog.record(manager, principal, 'organization.reactivated', { type: 'organization', id });
      }
      if (changes.protections) {
        // Announced with the change, so every service deciding disclosures applies it from the same commit.
        await this.outbox.append(manager, IdentityEvents.organizationProtectionsChanged, { organizationId: id, protections: changes.protections, changedAt: now });
        await this.auditLog.record(manager, principal, 'organization.protections-changed', { type: 'organization', id }, {
          from: current.protections,
          to: changes.protections,
        });
      }
      const { status: _status, protections: _protections, ...rest } = changes;
      if (Object.keys(rest).length) {
        await this.auditLog.record(manager, principal, 'organization.updated', { type: 'organization', id }, rest);
      }
      return updated;
    });
  }
}

/** One order for a set of protections, so a reordered list is no change and events compare equal. */
function canonicalProtections(protections: readonly OrganizationProtection[]): OrganizationProtection[] {
  return ORGANIZATION_PROTECTIONS.filter((p) => protections.includes(p));
}
