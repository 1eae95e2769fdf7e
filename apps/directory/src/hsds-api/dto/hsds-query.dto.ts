import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IntegerValue } from '@nwd/http';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNumberString, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** The HSDS OpenAPI's paging and search parameters, shared by every list. */
export class HsdsPageQueryDto {
  @ApiPropertyOptional({ description: 'Full text search' }) @IsOptional() @IsString() @MaxLength(200) search?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: 1 }) @IsOptional() @IntegerValue({ min: 1 }) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) per_page?: number;
  @ApiPropertyOptional({ enum: ['json'], description: 'Only json is served' }) @IsOptional() @IsIn(['json']) format?: string;
}

export class HsdsServiceQueryDto extends HsdsPageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() taxonomy_term_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() taxonomy_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() organization_id?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() modified_after?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() minimal?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() full?: boolean;
}

export class HsdsServiceAtLocationQueryDto extends HsdsPageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() taxonomy_term_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() taxonomy_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() organization_id?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() modified_after?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() full?: boolean;
  @ApiPropertyOptional({ description: 'US ZIP code' }) @IsOptional() @Matches(/^\d{5}$/, { message: 'postcode must be a 5-digit US ZIP code' }) postcode?: string;
  @ApiPropertyOptional({ description: 'Meters from the postcode centroid' }) @IsOptional() @IsNumberString() proximity?: string;
}

export class HsdsOrganizationQueryDto extends HsdsPageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() full?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() full_service?: boolean;
}

export class HsdsOrganizationGetQueryDto {
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() full_service?: boolean;
}

export class HsdsTaxonomyTermQueryDto extends HsdsPageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() taxonomy_id?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() top_only?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsUUID() parent_id?: string;
}
