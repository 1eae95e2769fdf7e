import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsTimeZone, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { CAPACITY_STATUSES, CapacityStatus, HSDS_SERVICE_STATUSES, HsdsServiceStatus } from '@nwd/contracts';
import { ValidateEnum } from '@nwd/http';

export class UpdateServiceDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10000) description?: string;
  @ValidateEnum(HSDS_SERVICE_STATUSES, { optional: true }) status?: HsdsServiceStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) eligibility_description?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(130) minimum_age?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(130) maximum_age?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() acceptsElectronicReferrals?: boolean;
  @ApiPropertyOptional({ description: 'Hide every location detail (e.g. a domestic-violence shelter)' }) @IsOptional() @IsBoolean() confidential?: boolean;
  @ApiPropertyOptional({ description: 'IANA time zone the hours are read in' }) @IsOptional() @IsTimeZone() timeZone?: string;
}

export class UpdateCapacityDto {
  @ValidateEnum(CAPACITY_STATUSES) status!: CapacityStatus;
  @ApiPropertyOptional({ description: 'Required with waitlist' })
  @ValidateIf((body: UpdateCapacityDto) => body.status === 'waitlist' || body.expectedWaitDays !== undefined)
  @IsInt() @Min(0) @Max(3650) expectedWaitDays?: number;
}

export class UpdateLocationDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(-90) @Max(90) latitude?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(-180) @Max(180) longitude?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) transportation?: string;
}

const DAYS = /^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

export class WeeklyHoursDto {
  @ApiProperty({ example: 'MO,TU,WE' }) @Matches(DAYS, { message: 'byday must list days as MO,TU,…' }) byday!: string;
  @ApiProperty({ example: '09:00' }) @Matches(TIME, { message: 'opens_at must be HH:MM' }) opens_at!: string;
  @ApiProperty({ example: '17:00' }) @Matches(TIME, { message: 'closes_at must be HH:MM' }) closes_at!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) description?: string;
}

export class ReplaceSchedulesDto {
  @ApiProperty({ type: [WeeklyHoursDto] }) @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => WeeklyHoursDto) schedules!: WeeklyHoursDto[];
}
