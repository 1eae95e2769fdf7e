import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CapacityChanged, DirectoryEvents, DirectoryServiceRequests, EventEnvelope, ServiceSummary, ServiceUpdated } from '@nwd/contracts';
import { MessagingClient, OnEvent } from '@nwd/messaging';
import { Clock } from '@nwd/clock';

/** A summary as the table holds it: its optional fields are NULL there. */
type ReceivingServiceRow = Omit<ServiceSummary, 'organizationId' | 'expectedWaitDays'> & { organizationId: string | null; expectedWaitDays: number | null };

const SUMMARY_COLUMNS = `service_id AS id, organization_id AS "organizationId", provider_organization_id AS "providerOrganizationId",
  capacity_status AS "capacityStatus", expected_wait_days AS "expectedWaitDays", accepts_electronic_referrals AS "acceptsElectronicReferrals", status`;

/**
 * The directory services referrals name, projected into the referral service's own table. The
 * first referral to a service asks the directory (over NATS); after that the service's capacity arrives as `directory.v1.capacity-changed` events, so a
 * referral neither waits on the directory nor goes to a service that closed its intake since.
 * Any other change of the listing (e.g. its maintainer) drops what is known, to be asked again.
 */
@Injectable()
export class ReceivingServiceProjection {
  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingClient,
    private readonly clock: Clock,
  ) {}

  async find(serviceId: string): Promise<ServiceSummary> {
    const [row]: ReceivingServiceRow[] = await this.dataSource.query(`SELECT ${SUMMARY_COLUMNS} FROM receiving_service WHERE service_id = $1`, [serviceId]);
    if (row) return summaryOf(row);
    const asked = this.clock.now();
    const service = await this.messaging.request(DirectoryServiceRequests.getService, { serviceId });
    await this.dataSource.query(
      `INSERT INTO receiving_service (service_id, organization_id, provider_organization_id, capacity_status, expected_wait_days,
         accepts_electronic_referrals, status, as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (service_id) DO UPDATE SET organization_id = $2, provider_organization_id = $3, capacity_status = $4,
         expected_wait_days = $5, accepts_electronic_referrals = $6, status = $7, as_of = $8
       WHERE receiving_service.as_of < $8`,
      [
        service.id,
        service.organizationId ?? null,
        service.providerOrganizationId,
        service.capacityStatus,
        service.expectedWaitDays ?? null,
        service.acceptsElectronicReferrals,
        service.status,
        asked,
      ],
    );
    return service;
  }

  @OnEvent(DirectoryEvents.capacityChanged, { durable: 'referral-service-capacity' })
  async capacityChanged(event: EventEnvelope<CapacityChanged>, manager: EntityManager): Promise<void> {
    const { serviceId, status, expectedWaitDays, changedAt } = event.data;
    await manager.query(
      `UPDATE receiving_service SET capacity_status = $2, expected_wait_days = $3, as_of = $4 WHERE service_id = $1 AND as_of < $4`,
      [serviceId, status, expectedWaitDays ?? null, changedAt],
    );
  }

  @OnEvent(DirectoryEvents.serviceUpdated, { durable: 'referral-service-updates' })
  async serviceUpdated(event: EventEnvelope<ServiceUpdated>, manager: EntityManager): Promise<void> {
    const { serviceId, changed, updatedAt } = event.data;
    // Only an edit of the service itself (its status, its maintainer) touches what the check relies
    // on; capacity has its own event, applied in place; locations and schedules do not matter here.
    if (!changed.includes('service')) return;
    await manager.query(`DELETE FROM receiving_service WHERE service_id = $1 AND as_of < $2`, [serviceId, updatedAt]);
  }
}

function summaryOf({ organizationId, expectedWaitDays, ...always }: ReceivingServiceRow): ServiceSummary {
  return { ...always, ...(organizationId === null ? {} : { organizationId }), ...(expectedWaitDays === null ? {} : { expectedWaitDays }) };
}
