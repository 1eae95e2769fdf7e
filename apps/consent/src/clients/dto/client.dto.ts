import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  CONTACT_PREFERENCES,
  ContactPreference,
  ETHNICITY_CATEGORIES,
  EthnicityCategory,
  RACE_CATEGORIES,
  RaceCategory,
  SEX_CODES,
  SexCode,
} from '@nwd/contracts';
import { OptionalNotNull, ValidateInt, ValidateUUID } from '@nwd/http';

/** Limits as the referral service had them, so a client it accepted inline is accepted here too. */
const MAX_NAME = 100;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const RACE_CODES = Object.keys(RACE_CATEGORIES);
const ETHNICITY_CODES = Object.keys(ETHNICITY_CATEGORIES);

/** The optional fields of a registration; `null` clears one. Demographics are self-reported and never required. */
class ClientOptionalFieldsDto {
  @ApiPropertyOptional({ maxLength: 30, nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9 ().-]{7,30}$/, { message: 'phone must be a phone number (digits, spaces, + ( ) . -)' })
  phone?: string | null;

  @ApiPropertyOptional({ maxLength: 254, nullable: true }) @IsOptional() @IsEmail() @MaxLength(254) email?: string | null;

  @ApiPropertyOptional({ maxLength: 10, nullable: true })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/, { message: 'postalCode must be a postal code' })
  postalCode?: string | null;

  @ApiPropertyOptional({ description: 'BCP 47 language tag', example: 'es-MX', nullable: true })
  @IsOptional()
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, { message: 'preferredLanguage must be a BCP 47 language tag, e.g. es or es-MX' })
  preferredLanguage?: string | null;

  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() interpreterNeeded?: boolean;
  @ApiPropertyOptional({ enum: CONTACT_PREFERENCES, nullable: true }) @IsOptional() @IsIn(CONTACT_PREFERENCES) contactPreference?: ContactPreference | null;

  @ApiPropertyOptional({ description: 'Do not contact the client directly; go through the referring organization' })
  @OptionalNotNull()
  @IsBoolean()
  doNotContact?: boolean;

  @ApiPropertyOptional({ enum: RACE_CODES, isArray: true, description: 'Self-reported; CDC Race & Ethnicity codes (OMB categories)' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(RACE_CODES.length)
  @ArrayUnique()
  @IsIn(RACE_CODES, { each: true })
  race?: RaceCategory[];

  @ApiPropertyOptional({ enum: ETHNICITY_CODES, isArray: true, description: 'Self-reported; CDC Race & Ethnicity codes (OMB categories)' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(ETHNICITY_CODES.length)
  @ArrayUnique()
  @IsIn(ETHNICITY_CODES, { each: true })
  ethnicity?: EthnicityCategory[];

  @ApiPropertyOptional({ enum: SEX_CODES, nullable: true }) @IsOptional() @IsIn(SEX_CODES) sex?: SexCode | null;
  @ApiPropertyOptional({ maxLength: 100, nullable: true, description: 'Self-described, or a SNOMED CT code' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  genderIdentity?: string | null;
}

export class CreateClientDto extends ClientOptionalFieldsDto {
  @ApiProperty({ maxLength: MAX_NAME }) @IsString() @IsNotEmpty() @MaxLength(MAX_NAME) givenName!: string;
  @ApiProperty({ maxLength: MAX_NAME }) @IsString() @IsNotEmpty() @MaxLength(MAX_NAME) familyName!: string;

  @ApiProperty({ example: '1984-03-07' })
  @Matches(DATE_ONLY, { message: 'birthDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'birthDate must be a valid calendar date' })
  birthDate!: string;
}

/** Only what is sent changes. */
export class UpdateClientDto extends ClientOptionalFieldsDto {
  @ApiPropertyOptional({ maxLength: MAX_NAME }) @OptionalNotNull() @IsString() @IsNotEmpty() @MaxLength(MAX_NAME) givenName?: string;
  @ApiPropertyOptional({ maxLength: MAX_NAME }) @OptionalNotNull() @IsString() @IsNotEmpty() @MaxLength(MAX_NAME) familyName?: string;

  @ApiPropertyOptional({ example: '1984-03-07' })
  @OptionalNotNull()
  @Matches(DATE_ONLY, { message: 'birthDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'birthDate must be a valid calendar date' })
  birthDate?: string;
}

export class SearchClientsQueryDto {
  @ApiProperty({ maxLength: 200, description: 'Given and family name in any order; typos, accents and hyphens are forgiven' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: '1984-03-07', description: 'Matched exactly' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'birthDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'birthDate must be a valid calendar date' })
  birthDate?: string;

  @ValidateInt({ optional: true, min: 1, max: 50, default: 20 }) limit?: number;
}

export class PossibleDuplicatesQueryDto {
  @ValidateInt({ optional: true, min: 1, max: 50, default: 20 }) limit?: number;
}

export class MergeClientDto {
  @ValidateUUID({ description: 'The duplicate registration; it is merged into the one in the path' }) duplicateId!: string;
}
