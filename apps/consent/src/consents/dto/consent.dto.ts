import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import {
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  ConsentMethod,
  ConsentPurpose,
  DATA_CATEGORIES,
  DataCategory,
  ORGANIZATION_KINDS,
  OrganizationKind,
} from '@nwd/contracts';

/** Exactly one of the three (checked with the consent's other terms, so the error names the recipient). */
export class ConsentRecipientDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() organizationId?: string;
  @ApiPropertyOptional({ enum: [true] }) @IsOptional() @IsBoolean() anyMember?: boolean;
  @ApiPropertyOptional({ enum: ORGANIZATION_KINDS }) @IsOptional() @IsIn(ORGANIZATION_KINDS) organizationKind?: OrganizationKind;
}

export class ConsentPeriodDto {
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) start!: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) end?: string;
}

export class CreateConsentDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() clientId!: string;

  @ApiProperty({ type: [ConsentRecipientDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ConsentRecipientDto)
  recipients!: ConsentRecipientDto[];

  @ApiProperty({ enum: CONSENT_PURPOSES, isArray: true })
  @IsArray() @ArrayMinSize(1) @IsIn(CONSENT_PURPOSES, { each: true })
  purposes!: ConsentPurpose[];

  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true })
  @IsArray() @ArrayMinSize(1) @IsIn(DATA_CATEGORIES, { each: true })
  categories!: DataCategory[];

  @ApiProperty({ enum: CONSENT_METHODS }) @IsIn(CONSENT_METHODS) method!: ConsentMethod;

  @ApiPropertyOptional({ description: 'The staff member who heard a verbal consent (required for verbal-attested)' })
  @IsOptional() @IsString() @MaxLength(200)
  attestedBy?: string;

  @ApiPropertyOptional({ type: ConsentPeriodDto, description: 'When the consent holds; from now, open-ended, when absent' })
  @IsOptional() @ValidateNested() @Type(() => ConsentPeriodDto)
  period?: ConsentPeriodDto;

  @ApiPropertyOptional({ description: 'A reference to the signed document or recording' })
  @IsOptional() @IsString() @MaxLength(2000)
  evidence?: string;
}

export class RevokeConsentDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Revoke for this recipient only; the whole consent when absent' })
  @IsOptional() @IsUUID()
  organizationId?: string;
}
