import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * HSDS 3.0 objects as the Open Referral schemas define them (apps/directory/src/hsds/hsds-schema):
 * the members named here are the ones a client keys on; the rest of each object (nested phones,
 * schedules, locations, …) follows the HSDS schema of the same name and is left open here, since
 * an absent HSDS field is left out rather than null.
 */
class HsdsObjectResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
}

export class HsdsServiceResponse extends HsdsObjectResponse {
  @ApiPropertyOptional({ description: 'Absent with `minimal=true`' }) name?: string;
  @ApiPropertyOptional({ enum: ['active', 'inactive', 'defunct', 'temporarily closed'] }) status?: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional({ format: 'date-time' }) last_modified?: string;
}

export class HsdsOrganizationResponse extends HsdsObjectResponse {
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional({ type: [HsdsServiceResponse], description: 'With `full_service` (or `full` on a list)' }) services?: HsdsServiceResponse[];
}

export class HsdsServiceAtLocationResponse extends HsdsObjectResponse {
  @ApiPropertyOptional({ type: HsdsServiceResponse }) service?: HsdsServiceResponse;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'HSDS location' }) location?: Record<string, unknown>;
}

export class HsdsTaxonomyResponse extends HsdsObjectResponse {
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() description?: string;
}

export class HsdsTaxonomyTermResponse extends HsdsObjectResponse {
  @ApiPropertyOptional() code?: string;
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() description?: string;
}

/** HSDS 3.0 `Page`: the list endpoints' envelope. */
class HsdsPageFields {
  @ApiProperty({ type: 'integer' }) total_items!: number;
  @ApiProperty({ type: 'integer' }) total_pages!: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) page_number!: number;
  @ApiProperty({ type: 'integer' }) size!: number;
  @ApiProperty() first_page!: boolean;
  @ApiProperty() last_page!: boolean;
  @ApiProperty() empty!: boolean;
}

export class HsdsServicePage extends HsdsPageFields {
  @ApiProperty({ type: [HsdsServiceResponse] }) contents!: HsdsServiceResponse[];
}
export class HsdsOrganizationPage extends HsdsPageFields {
  @ApiProperty({ type: [HsdsOrganizationResponse] }) contents!: HsdsOrganizationResponse[];
}
export class HsdsServiceAtLocationPage extends HsdsPageFields {
  @ApiProperty({ type: [HsdsServiceAtLocationResponse] }) contents!: HsdsServiceAtLocationResponse[];
}
export class HsdsTaxonomyPage extends HsdsPageFields {
  @ApiProperty({ type: [HsdsTaxonomyResponse] }) contents!: HsdsTaxonomyResponse[];
}
export class HsdsTaxonomyTermPage extends HsdsPageFields {
  @ApiProperty({ type: [HsdsTaxonomyTermResponse] }) contents!: HsdsTaxonomyTermResponse[];
}

export class HsdsRootResponse {
  @ApiProperty({ example: '3.0' }) version!: string;
  @ApiProperty({ format: 'uri' }) profile!: string;
  @ApiProperty({ format: 'uri' }) openapi_url!: string;
}
