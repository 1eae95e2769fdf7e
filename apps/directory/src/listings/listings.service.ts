import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { asSystem, hasRole, isNetworkAdmin, Principal, Viewer, viewerOf } from '@nwd/auth';
import { DirectoryEvents, ServicePart, ServiceSummary } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { Outbox } from '@nwd/messaging';
import { AuditLog } from '../audit/audit-log';
import { Clock } from '@nwd/clock';
import { ReplaceSchedulesDto, UpdateCapacityDto, UpdateLocationDto, UpdateServiceDto } from './dto/maintenance.dto';
import { HsdsService } from '../hsds/hsds-service.entity';
import { ListingIndex } from '../hsds/listing-index';
import { ListingsRepository } from './listings.repository';

/**
 * A listing's maintenance: its maintaining organization edits its own services, locations, schedules and
 * capacity; network admins edit all. Each change, its search rows, its events and its audit record commit
 * together.
 */
@Injectable()
export class ListingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly listings: ListingsRepository,
    private readonly outbox: Outbox,
    private readonly auditLog: AuditLog,
    private readonly index: ListingIndex,
    private readonly clock: Clock,
  ) {}

  async summary(serviceId: string): Promise<ServiceSummary> {
    const service = await this.listings.find(serviceId);
    if (!service) throw DomainError.notFound('directory.service-not-found', `No service ${serviceId} in the directory`);
    return toSummary(service);
  }

  async updateService(principal: Principal, id: string, input: UpdateServiceDto): Promise<ServiceSummary> {
    return this.change(principal, id, ['service'], async (manager, service, _now, editor) => {
      const changes: Partial<HsdsService> = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.description !== undefined) changes.description = input.description;
      if (input.status !== undefined) changes.status = input.status;
      if (input.eligibility_description !== undefined) changes.eligibilityDescription = input.eligibility_description;
      if (input.minimum_age !== undefined) changes.minimumAge = String(input.minimum_age);
      if (input.maximum_age !== undefined) changes.maximumAge = String(input.maximum_age);
      if (input.acceptsElectronicReferrals !== undefined) changes.acceptsElectronicReferrals = input.acceptsElectronicReferrals;
      if (input.timeZone !== undefined) changes.timeZone = input.timeZone;
      const minimum = Number(changes.minimumAge ?? service.minimumAge ?? 0);
      const maximum = changes.maximumAge ?? service.maximumAge;
      if (maximum !== null && maximum !== undefined && Number(maximum) < minimum) {
        throw DomainError.invalidField('maximum_age', 'maximum_age must not be below minimum_age', 'maximum_age is below minimum_age');
      }
      if (Object.keys(changes).length) {
        await this.listings.update(manager, editor, id, { ...changes, lastModified: this.clock.now().toISOString() });
        await this.auditLog.record(manager, principal, 'listing.updated', { type: 'service', id }, { changes });
      }
      if (input.confidential !== undefined && input.confidential !== service.confidential) {
        // Hiding is always allowed; showing an address that was hidden (a shelter's) takes the organization's admin.
        if (!input.confidential && !isNetworkAdmin(principal) && !hasRole(principal, 'org-admin')) {
          throw DomainError.forbidden(
            'directory.confidentiality-lift-forbidden',
            'Only an org-admin of the maintaining organization, or a network admin, may make a confidential listing public',
          );
        }
        await this.listings.update(manager, editor, id, { confidential: input.confidential });
        await this.auditLog.record(manager, principal, input.confidential ? 'listing.confidentiality-set' : 'listing.confidentiality-lifted', { type: 'service', id });
      }
    });
  }

  async updateCapacity(principal: Principal, id: string, input: UpdateCapacityDto): Promise<ServiceSummary> {
    return this.change(principal, id, ['capacity'], async (manager, service, now, editor) => {
      const expectedWaitDays = input.status === 'waitlist' ? (input.expectedWaitDays ?? null) : null;
      await this.listings.update(manager, editor, id, { capacityStatus: input.status, capacityExpectedWaitDays: expectedWaitDays, capacityUpdatedAt: now });
      await this.auditLog.record(manager, principal, 'listing.capacity-changed', { type: 'service', id }, {
        previousStatus: service.capacityStatus,
        status: input.status,
        expectedWaitDays,
      });
      if (service.capacityStatus !== input.status || service.capacityExpectedWaitDays !== expectedWaitDays) {
        await this.outbox.append(manager, DirectoryEvents.capacityChanged, {
          serviceId: id,
          ...(service.maintainerOrganizationId ? { organizationId: service.maintainerOrganizationId } : {}),
          providerOrganizationId: service.organizationId,
          previousStatus: service.capacityStatus,
          status: input.status,
          ...(expectedWaitDays !== null ? { expectedWaitDays } : {}),
          changedAt: now.toISOString(),
        });
      }
    });
  }

  /** Verifying is one call: the listing is confirmed as it stands, by the caller, now. */
  async verify(principal: Principal, id: string): Promise<ServiceSummary> {
    return this.change(principal, id, ['verification'], async (manager, _service, now, editor) => {
      await this.listings.update(manager, editor, id, { lastVerifiedAt: now, lastVerifiedBy: principal.subject, staleSince: null });
      await this.auditLog.record(manager, principal, 'listing.verified', { type: 'service', id });
    });
  }

  async replaceSchedules(principal: Principal, id: string, input: ReplaceSchedulesDto): Promise<ServiceSummary> {
    return this.change(principal, id, ['schedule'], async (manager, _service, _now, editor) => {
      await this.listings.replaceSchedules(manager, editor, id, input.schedules);
      await this.auditLog.record(manager, principal, 'listing.schedules-replaced', { type: 'service', id }, { schedules: input.schedules });
    });
  }

  async updateLocation(principal: Principal, locationId: string, input: UpdateLocationDto): Promise<{ id: string }> {
    if ((input.latitude === undefined) !== (input.longitude === undefined)) {
      throw DomainError.invalidField(
        input.latitude === undefined ? 'latitude' : 'longitude',
        'latitude and longitude must be changed together',
        'latitude and longitude go together',
      );
    }
    return this.dataSource.transaction(async (manager) => {
      await this.index.holdWriters(manager);
      const editor = viewerOf(principal);
      const { found, services, maintained: own } = await this.listings.lockLocation(manager, editor, locationId);
      const notFound = () => DomainError.notFound('directory.location-not-found', `No location ${locationId}`);
      if (!found) throw notFound();
      if (!editor.networkAdmin) {
        // To anyone who maintains nothing there, a hidden location does not exist: a 403 would confirm it.
        if (!own.length && (await this.listings.isHidden(manager, locationId))) throw notFound();
        // A shared location belongs to everyone delivering services there: only if all of them are the caller's.
        if (!services.length || own.length < services.length) {
          throw DomainError.forbidden('directory.listing-not-maintainer', 'Only the organization maintaining every service at this location, or a network admin, may edit it');
        }
      }
      const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
      if (Object.keys(changes).length) {
        await this.listings.updateLocation(manager, editor, locationId, changes);
        await this.auditLog.record(manager, principal, 'listing.location-updated', { type: 'location', id: locationId }, {
          changes,
          services: services.map((s) => s.id),
        });
      }
      const now = this.clock.now();
      for (const service of services) await this.announce(manager, service, ['location'], now);
      await this.index.refreshServices(manager, services.map((s) => s.id));
      return { id: locationId };
    });
  }

  /** Emits `listing-stale` once per listing that crossed the freshness period, and marks it. */
  async sweepStale(now: Date, staleAfterDays: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const stale = await this.listings.markStale(manager, asSystem, now, staleAfterDays);
      for (const row of stale) {
        await this.outbox.append(manager, DirectoryEvents.listingStale, {
          serviceId: row.id,
          ...(row.maintainer_organization_id ? { organizationId: row.maintainer_organization_id } : {}),
          providerOrganizationId: row.organization_id,
          lastVerifiedAt: new Date(row.verified_at).toISOString(),
          staleSince: now.toISOString(),
        });
      }
      return stale.length;
    });
  }

  private async change(
    principal: Principal,
    id: string,
    changed: ServicePart[],
    apply: (manager: EntityManager, service: HsdsService, now: Date, editor: Viewer) => Promise<void>,
  ): Promise<ServiceSummary> {
    const editor = viewerOf(principal);
    return this.dataSource.transaction(async (manager) => {
      await this.index.holdWriters(manager);
      const { service, maintained } = await this.listings.getForUpdate(manager, editor, id);
      if (!maintained) {
        throw DomainError.forbidden('directory.listing-not-maintainer', 'Only the maintaining organization or a network admin may edit this listing');
      }
      const now = this.clock.now();
      await apply(manager, service, now, editor);
      await this.listings.update(manager, editor, id, { networkUpdatedAt: now });
      const updated = await this.listings.get(manager, editor, id);
      await this.announce(manager, updated, changed, now);
      await this.index.refreshServices(manager, [id]);
      return toSummary(updated);
    });
  }

  private announce(manager: EntityManager, service: HsdsService, changed: ServicePart[], now: Date): Promise<unknown> {
    return this.outbox.append(manager, DirectoryEvents.serviceUpdated, {
      serviceId: service.id,
      ...(service.maintainerOrganizationId ? { organizationId: service.maintainerOrganizationId } : {}),
      providerOrganizationId: service.organizationId,
      changed,
      updatedAt: now.toISOString(),
    });
  }
}

function toSummary(service: HsdsService): ServiceSummary {
  return {
    id: service.id,
    ...(service.maintainerOrganizationId ? { organizationId: service.maintainerOrganizationId } : {}),
    providerOrganizationId: service.organizationId,
    capacityStatus: service.capacityStatus,
    ...(service.capacityExpectedWaitDays !== null ? { expectedWaitDays: service.capacityExpectedWaitDays } : {}),
    acceptsElectronicReferrals: service.acceptsElectronicReferrals,
    status: service.status,
  };
}


