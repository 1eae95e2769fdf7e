import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { SDOH_NEEDS, SdohNeed } from '@nwd/contracts';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
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
  @ApiPropertyOptional({ description: 'Eligible at this age' }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(130) age?: number;
  @ApiPropertyOptional({ description: 'Open at this instant, by each listing’s own clock' }) @IsOptional() @IsISO8601({ strict: true }) openAt?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() openNow?: boolean;
  @ApiPropertyOptional({ description: 'Capacity status accepting only' }) @IsOptional() @Transform(toBoolean) @IsBoolean() acceptingOnly?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() electronicReferrals?: boolean;
  @ApiPropertyOptional({ default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10000) offset?: number;
}
