import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNumberString, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ValidateBoolean, ValidateEnum, ValidateInt, ValidateUUID } from '@nwd/http';

/** The HSDS OpenAPI's paging and search parameters, shared by every list. */
export class HsdsPageQueryDto {
  @ApiPropertyOptional({ description: 'Full text search' }) @IsOptional() @IsString() @MaxLength(200) search?: string;
  @ValidateInt({ optional: true, min: 1, default: 1 }) page?: number;
  @ValidateInt({ optional: true, min: 1, max: 500, default: 50 }) per_page?: number;
  @ValidateEnum(['json'], { optional: true, description: 'Only json is served' }) format?: string;
}

export class HsdsServiceQueryDto extends HsdsPageQueryDto {
  @ValidateUUID({ optional: true }) taxonomy_term_id?: string;
  @ValidateUUID({ optional: true }) taxonomy_id?: string;
  @ValidateUUID({ optional: true }) organization_id?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() modified_after?: string;
  @ValidateBoolean({ optional: true }) minimal?: boolean;
  @ValidateBoolean({ optional: true }) full?: boolean;
}

export class HsdsServiceAtLocationQueryDto extends HsdsPageQueryDto {
  @ValidateUUID({ optional: true }) taxonomy_term_id?: string;
  @ValidateUUID({ optional: true }) taxonomy_id?: string;
  @ValidateUUID({ optional: true }) organization_id?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() modified_after?: string;
  @ValidateBoolean({ optional: true }) full?: boolean;
  @ApiPropertyOptional({ description: 'US ZIP code' }) @IsOptional() @Matches(/^\d{5}$/, { message: 'postcode must be a 5-digit US ZIP code' }) postcode?: string;
  @ApiPropertyOptional({ description: 'Meters from the postcode centroid' }) @IsOptional() @IsNumberString() proximity?: string;
}

export class HsdsOrganizationQueryDto extends HsdsPageQueryDto {
  @ValidateBoolean({ optional: true }) full?: boolean;
  @ValidateBoolean({ optional: true }) full_service?: boolean;
}

export class HsdsOrganizationGetQueryDto {
  @ValidateBoolean({ optional: true }) full_service?: boolean;
}

export class HsdsTaxonomyTermQueryDto extends HsdsPageQueryDto {
  @ValidateUUID({ optional: true }) taxonomy_id?: string;
  @ValidateBoolean({ optional: true }) top_only?: boolean;
  @ValidateUUID({ optional: true }) parent_id?: string;
}
