import { ApiProperty } from '@nestjs/swagger';
import { ORGANIZATION_KINDS, ORGANIZATION_STATUSES, OrganizationKind, OrganizationStatus } from '@nwd/contracts';

/** A member of the network, as the register holds it. */
export class OrganizationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Eastside Food Bank' }) name!: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) kind!: OrganizationKind;
  @ApiProperty({ enum: ORGANIZATION_STATUSES }) status!: OrganizationStatus;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class OrganizationListResponse {
  @ApiProperty({ type: [OrganizationResponse] }) data!: OrganizationResponse[];
}
