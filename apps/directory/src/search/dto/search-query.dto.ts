import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { SDOH_NEEDS, SdohNeed } from '@nwd/contracts';
import { ValidateBoolean, ValidateDateTime, ValidateInt } from '@nwd/http';

const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value);

export class SearchQueryDto {
  @ApiPropertyOptional({ description: 'Free text, typo tolerant' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional({ enum: SDOH_NEEDS, isArray: true, description: 'Any of these need domains (comma-separated)' })
  @IsOptional() @Transform(toList) @IsArray() @ArrayMaxSize(SDOH_NEEDS.length) @IsIn(SDOH_NEEDS, { each: true })
  need?: SdohNeed[];
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber() @Min(-90) @Max(90) lat?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber() @Min(-180) @Max(180) lon?: number;
  @ApiPropertyOptional({ description: 'US ZIP code: its centroid is the point' }) @IsOptional() @Matches(/^\d{5}$/, { message: 'postcode must be a 5-digit US ZIP code' }) postcode?: string;
  @ApiPropertyOptional({ default: 10 }) @IsOptional() @Type(() => Number) @IsNumber() @Min(0.1) @Max(500) radiusKm?: number;
  @ApiPropertyOptional({ description: 'Serves this area (a service_area name, e.g. a county)' }) @IsOptional() @IsString() @MaxLength(200) serviceArea?: string;
  @ApiPropertyOptional({ description: 'Language name or code' }) @IsOptional() @IsString() @MaxLength(100) language?: string;
  @ValidateInt({ optional: true, min: 0, max: 130, description: 'Eligible at this age' }) age?: number;
  @ValidateDateTime({ optional: true, description: 'Open at this instant, by each listing’s own clock' }) openAt?: string;
  @ValidateBoolean({ optional: true }) openNow?: boolean;
  @ValidateBoolean({ optional: true, description: 'Capacity status accepting only' }) acceptingOnly?: boolean;
  @ValidateBoolean({ optional: true }) electronicReferrals?: boolean;
  @ValidateInt({ optional: true, min: 1, max: 100, default: 20 }) limit?: number;
  @ValidateInt({ optional: true, min: 0, max: 10000, default: 0 }) offset?: number;
}
