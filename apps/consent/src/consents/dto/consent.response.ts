import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  CONSENT_STATUSES,
  ConsentMethod,
  ConsentPurpose,
  ConsentStatus,
  DATA_CATEGORIES,
  DataCategory,
  ORGANIZATION_KINDS,
  OrganizationKind,
} from '@nwd/contracts';

/** One of `organizationId`, `anyMember` and `organizationKind`; `revokedAt` when revoked for this recipient only. */
export class ConsentRecipientResponse {
  @ApiPropertyOptional({ format: 'uuid' }) organizationId?: string;
  @ApiPropertyOptional({ type: Boolean, enum: [true] }) anyMember?: true;
  @ApiPropertyOptional({ enum: ORGANIZATION_KINDS }) organizationKind?: OrganizationKind;
  @ApiPropertyOptional({ format: 'date-time' }) revokedAt?: string;
}

export class ConsentPeriodResponse {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Absent: open-ended' }) end?: string;
}

/** A consent as recorded: who may receive which categories of the client's data, for what, and until when. */
export class ConsentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ format: 'uuid', description: 'The organization that recorded it' }) grantorOrganizationId!: string;
  @ApiProperty({ type: [ConsentRecipientResponse] }) recipients!: ConsentRecipientResponse[];
  @ApiProperty({ enum: CONSENT_PURPOSES, isArray: true }) purposes!: ConsentPurpose[];
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true }) categories!: DataCategory[];
  @ApiProperty({ enum: CONSENT_METHODS }) method!: ConsentMethod;
  @ApiPropertyOptional() attestedBy?: string;
  @ApiPropertyOptional() evidence?: string;
  @ApiProperty({ type: ConsentPeriodResponse }) period!: ConsentPeriodResponse;
  @ApiProperty({ enum: CONSENT_STATUSES }) status!: ConsentStatus;
  @ApiPropertyOptional({ format: 'date-time' }) revokedAt?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The referral it was given with' }) referralId?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** An SDOHCC Consent (FHIR R4, http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-Consent). */
export const FHIR_CONSENT_SCHEMA = {
  type: 'object',
  description: 'A FHIR R4 Consent resource, SDOHCC profile',
  required: ['resourceType'],
  properties: { resourceType: { type: 'string', enum: ['Consent'] }, id: { type: 'string' }, status: { type: 'string' } },
  additionalProperties: true,
};
