import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CAPACITY_STATUSES, CapacityStatus, HSDS_SERVICE_STATUSES, HsdsServiceStatus, ServiceSummary } from '@nwd/contracts';

/** The network view of a listing: the same facts the referral service asks the directory for over NATS. */
export class ServiceSummaryResponse implements ServiceSummary {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The maintaining network organization, which referrals to this service go to; absent: phone referrals only' })
  organizationId?: string;
  @ApiProperty({ format: 'uuid', description: 'The HSDS organization that provides the service' }) providerOrganizationId!: string;
  @ApiProperty({ enum: CAPACITY_STATUSES }) capacityStatus!: CapacityStatus;
  @ApiPropertyOptional({ type: 'integer', minimum: 0 }) expectedWaitDays?: number;
  @ApiProperty() acceptsElectronicReferrals!: boolean;
  @ApiProperty({ enum: HSDS_SERVICE_STATUSES, description: 'HSDS service status' }) status!: HsdsServiceStatus;
}

export class UpdatedLocationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
}
