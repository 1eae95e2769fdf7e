import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CAPACITY_STATUSES } from '@nwd/contracts';

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export class SearchCapacityResponse {
  @ApiProperty({ enum: CAPACITY_STATUSES }) status!: string;
  @ApiProperty({ type: 'integer', nullable: true }) expectedWaitDays!: number | null;
}

export class SearchTextMatch {
  @ApiProperty({ description: 'Relevance of the typed words, 0–1' }) score!: number;
}

/** Why this listing is in the result, filter by filter. */
export class SearchMatchedResponse {
  @ApiPropertyOptional({ type: SearchTextMatch }) text?: SearchTextMatch;
  @ApiPropertyOptional({ type: [String] }) needs?: string[];
  @ApiPropertyOptional({ type: [String] }) languages?: string[];
  @ApiPropertyOptional() serviceArea?: string;
  @ApiPropertyOptional() distanceKm?: number;
  @ApiPropertyOptional({ type: 'integer' }) age?: number;
  @ApiPropertyOptional({ format: 'date-time' }) openAt?: string;
}

export class SearchResult {
  @ApiProperty({ format: 'uuid' }) serviceId!: string;
  @ApiProperty() serviceName!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) providerOrganizationId!: string | null;
  @ApiProperty({ nullable: true, type: String }) providerOrganizationName!: string | null;
  /** Absent for confidential listings: they are found by need and area, and reached through their intake. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null for confidential listings' }) serviceAtLocationId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null for confidential listings' }) locationId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The network member that maintains the listing' }) maintainerOrganizationId!: string | null;
  @ApiProperty({ type: SearchCapacityResponse }) capacity!: SearchCapacityResponse;
  @ApiProperty() acceptsElectronicReferrals!: boolean;
  @ApiProperty() confidential!: boolean;
  @ApiProperty({ description: 'Not verified for longer than the network allows' }) stale!: boolean;
  @ApiProperty({ format: 'date-time' }) lastVerifiedAt!: string;
  @ApiPropertyOptional({ description: 'From the searched point, when one was given' }) distanceKm?: number;
  @ApiProperty({ type: SearchMatchedResponse }) matched!: SearchMatchedResponse;
}

export class SearchFacetsResponse {
  @ApiProperty(COUNTS) needs!: Record<string, number>;
  @ApiProperty(COUNTS) capacity!: Record<string, number>;
  @ApiProperty(COUNTS) acceptsElectronicReferrals!: Record<string, number>;
  @ApiProperty(COUNTS) languages!: Record<string, number>;
}

export class SearchResponse {
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
  @ApiProperty({ type: 'integer' }) offset!: number;
  @ApiProperty({ type: [SearchResult] }) results!: SearchResult[];
  @ApiProperty({ type: SearchFacetsResponse, description: 'Counts over every hit, not only this page' }) facets!: SearchFacetsResponse;
}
