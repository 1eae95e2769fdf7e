import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONSENT_PURPOSES, ConsentPurpose, DATA_CATEGORIES, DataCategory, DISCLOSURE_CHANNELS, DisclosureChannel } from '@nwd/contracts';

/** One disclosure of the client's data to another organization, as the accounting records it. */
export class DisclosureResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) disclosedAt!: string;
  @ApiProperty({ format: 'uuid', description: 'The registration disclosed (a merged duplicate’s own id where it was)' }) clientId!: string;
  @ApiProperty({ format: 'uuid' }) recipientOrganizationId!: string;
  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'Organizations whose records the disclosure carried' }) sourceOrganizationIds!: string[];
  @ApiProperty({ enum: CONSENT_PURPOSES }) purpose!: ConsentPurpose;
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true }) categories!: DataCategory[];
  @ApiProperty({ enum: DISCLOSURE_CHANNELS }) channel!: DisclosureChannel;
  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'The consents relied on; empty when network policy released it' }) consentIds!: string[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) referralId!: string | null;
}

export class DisclosureHistoryResponse {
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ type: [DisclosureResponse] }) data!: DisclosureResponse[];
  @ApiPropertyOptional({ format: 'uuid', description: 'Pass as `after` for the next page; absent on the last' }) next?: string;
}
