import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
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
import { ValidateDateTime, ValidateEnum, ValidateUUID } from '@nwd/http';

/** Exactly one of the three (checked with the consent's other terms, so the error names the recipient). */
export class ConsentRecipientDto {
  @ValidateUUID({ optional: true }) organizationId?: string;
  @ApiPropertyOptional({ enum: [true] }) @IsOptional() @IsBoolean() anyMember?: boolean;
  @ValidateEnum(ORGANIZATION_KINDS, { optional: true }) organizationKind?: OrganizationKind;
}

export class ConsentPeriodDto {
  @ValidateDateTime() start!: string;
  @ValidateDateTime({ optional: true }) end?: string;
}

export class CreateConsentDto {
  @ValidateUUID() clientId!: string;

  @ApiProperty({ type: [ConsentRecipientDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ConsentRecipientDto)
  recipients!: ConsentRecipientDto[];

  @ApiProperty({ enum: CONSENT_PURPOSES, isArray: true })
  @IsArray() @ArrayMinSize(1) @IsIn(CONSENT_PURPOSES, { each: true })
  purposes!: ConsentPurpose[];

  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true })
  @IsArray() @ArrayMinSize(1) @IsIn(DATA_CATEGORIES, { each: true })
  categories!: DataCategory[];

  @ValidateEnum(CONSENT_METHODS) method!: ConsentMethod;

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
  @ValidateUUID({ optional: true, description: 'Revoke for this recipient only; the whole consent when absent' }) organizationId?: string;
}
