import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import {
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  ConsentMethod,
  ConsentPurpose,
  CONTACT_CHANNELS,
  DATA_CATEGORIES,
  DataCategory,
  InlineConsent,
  CONTACT_PREFERENCES,
  CONTACT_RESULTS,
  ContactChannel,
  ContactPreference,
  ContactResult,
  NOTE_VISIBILITIES,
  NoteVisibility,
  PLATFORM_STANDARDS,
  PlatformStandard,
  REFERRAL_OUTCOMES,
  REFERRAL_STATUSES,
  REFERRAL_URGENCIES,
  ReferralOutcome,
  ReferralStatus,
  ReferralUrgency,
  SDOH_NEEDS,
  SdohNeed,
} from '@nwd/contracts';

/** Limits on free text: a partner learns of an oversize field with a 400 naming it, not a truncated record. */
export const MAX_NAME = 100;
export const MAX_REASON = 1000;
export const MAX_TEXT = 4000;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export class ReferralClientDto {
  @ApiProperty({ maxLength: MAX_NAME }) @IsString() @IsNotEmpty() @MaxLength(MAX_NAME) givenName!: string;
  @ApiProperty({ maxLength: MAX_NAME }) @IsString() @IsNotEmpty() @MaxLength(MAX_NAME) familyName!: string;

  @ApiProperty({ example: '1984-03-07' })
  @Matches(DATE_ONLY, { message: 'birthDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'birthDate must be a valid calendar date' })
  birthDate!: string;

  @ApiPropertyOptional({ maxLength: 30 })
  @IsOptional()
  @Matches(/^\+?[0-9 ().-]{7,30}$/, { message: 'phone must be a phone number (digits, spaces, + ( ) . -)' })
  phone?: string;

  @ApiPropertyOptional({ maxLength: 254 }) @IsOptional() @IsEmail() @MaxLength(254) email?: string;

  @ApiPropertyOptional({ maxLength: 10 })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/, { message: 'postalCode must be a postal code' })
  postalCode?: string;

  @ApiPropertyOptional({ description: 'BCP 47 language tag', example: 'es-MX' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, { message: 'preferredLanguage must be a BCP 47 language tag, e.g. es or es-MX' })
  preferredLanguage?: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() interpreterNeeded?: boolean;
  @ApiPropertyOptional({ enum: CONTACT_PREFERENCES }) @IsOptional() @IsIn(CONTACT_PREFERENCES) contactPreference?: ContactPreference;

  @ApiPropertyOptional({ description: 'Do not contact the client directly; go through the referring organization' })
  @IsOptional()
  @IsBoolean()
  doNotContact?: boolean;
}

/** The person's consent, given to the sender, for the referral's receiving organization (recorded by the consent service). */
export class ReferralConsentDto implements InlineConsent {
  @ApiProperty({ enum: CONSENT_METHODS }) @IsIn(CONSENT_METHODS) method!: ConsentMethod;

  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true, description: 'What the receiver may see; free text counts as notes' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(DATA_CATEGORIES, { each: true })
  categories!: DataCategory[];

  @ApiPropertyOptional({ enum: CONSENT_PURPOSES, isArray: true, default: ['referral'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CONSENT_PURPOSES, { each: true })
  purposes?: ConsentPurpose[];

  @ApiPropertyOptional({ description: 'When the consent ends (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) expiresAt?: string;

  @ApiPropertyOptional({ maxLength: MAX_NAME, description: 'The staff member who heard a verbal consent (required for verbal-attested)' })
  @ValidateIf((consent: ReferralConsentDto) => consent.method === 'verbal-attested' || consent.attestedBy !== undefined)
  @IsString({ message: 'attestedBy must name the staff member who heard a verbal consent' })
  @IsNotEmpty({ message: 'attestedBy must name the staff member who heard a verbal consent' })
  @MaxLength(MAX_NAME)
  attestedBy?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'A reference to the signed document or recording' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  evidence?: string;
}

/** A property that must not be sent together with `other`. */
function IsAbsentWith(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'isAbsentWith',
    constraints: [other],
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => (args?.object as Record<string, unknown>)[other] === undefined,
      defaultMessage: (args?: ValidationArguments) => `send either ${other} or ${args?.property}, not both`,
    },
  });
}

export class CreateReferralDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() receivingOrganizationId!: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() receivingServiceId?: string;

  @ApiPropertyOptional({ type: ReferralClientDto, description: 'A person new to the network, registered with the consent service; or send clientId' })
  @ValidateIf((referral: CreateReferralDto) => referral.clientId === undefined || referral.client !== undefined)
  @IsDefined({ message: 'client (a new person) or clientId (a registered one) is required' })
  @IsObject()
  @ValidateNested()
  @Type(() => ReferralClientDto)
  client?: ReferralClientDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'A client registered with the consent service' })
  @IsOptional()
  @IsUUID()
  @IsAbsentWith('client')
  clientId?: string;

  @ApiPropertyOptional({ type: ReferralConsentDto, description: "The client's consent for the receiving organization, recorded with the referral" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReferralConsentDto)
  consent?: ReferralConsentDto;

  @ApiPropertyOptional({ default: false, description: 'Send no client identifiers: the receiver reaches the person through you' })
  @IsOptional()
  @IsBoolean()
  deidentified?: boolean;

  @ApiProperty({ enum: SDOH_NEEDS, isArray: true, description: 'SDOH Clinical Care category codes' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SDOH_NEEDS.length)
  @ArrayUnique()
  @IsIn(SDOH_NEEDS, { each: true, message: `each value in needs must be one of the SDOH category codes: ${SDOH_NEEDS.join(', ')}` })
  needs!: SdohNeed[];

  @ApiPropertyOptional({ maxLength: MAX_TEXT }) @IsOptional() @IsString() @MaxLength(MAX_TEXT) description?: string;
  @ApiPropertyOptional({ enum: REFERRAL_URGENCIES, default: 'routine' }) @IsOptional() @IsIn(REFERRAL_URGENCIES) urgency?: ReferralUrgency;
}

export class ChangeStatusDto {
  @ApiProperty({ enum: REFERRAL_STATUSES }) @IsIn(REFERRAL_STATUSES) status!: ReferralStatus;
  @ApiPropertyOptional({ maxLength: MAX_REASON, description: 'Required for rejected, cancelled, on-hold and failed' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REASON)
  reason?: string;

  @ApiPropertyOptional({ enum: REFERRAL_OUTCOMES, description: 'Required for completed and failed' })
  @IsOptional()
  @IsIn(REFERRAL_OUTCOMES)
  outcome?: ReferralOutcome;

  @ApiPropertyOptional({ maxLength: MAX_REASON, description: 'Required when the outcome is other' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REASON)
  outcomeText?: string;

  @ApiProperty({ description: 'The version of the referral the caller saw' }) @IsInt() @Min(1) version!: number;
}

export class ForwardReferralDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() receivingOrganizationId!: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() receivingServiceId?: string;
  @ApiProperty({ maxLength: MAX_REASON }) @IsString() @IsNotEmpty() @MaxLength(MAX_REASON) reason!: string;
  @ApiProperty() @IsInt() @Min(1) version!: number;
}

export class AddNoteDto {
  @ApiProperty({ maxLength: MAX_TEXT }) @IsString() @IsNotEmpty() @MaxLength(MAX_TEXT) text!: string;
  @ApiProperty({ enum: NOTE_VISIBILITIES, description: 'shared with the other organization, or internal to yours' })
  @IsIn(NOTE_VISIBILITIES)
  visibility!: NoteVisibility;
}

export class RecordContactAttemptDto {
  @ApiProperty({ enum: CONTACT_CHANNELS }) @IsIn(CONTACT_CHANNELS) channel!: ContactChannel;
  @ApiProperty({ enum: CONTACT_RESULTS }) @IsIn(CONTACT_RESULTS) result!: ContactResult;
  @ApiProperty({ description: 'When the attempt was made (ISO 8601 with offset)' }) @IsISO8601({ strict: true }) at!: string;
  @ApiPropertyOptional({ maxLength: MAX_REASON }) @IsOptional() @IsString() @MaxLength(MAX_REASON) note?: string;
}

export class AddExceptionNoteDto {
  @ApiProperty({ enum: PLATFORM_STANDARDS, description: 'The breached standard (or unreachable-closure, before closing)' })
  @IsIn(PLATFORM_STANDARDS)
  standard!: PlatformStandard;

  @ApiProperty({ maxLength: MAX_TEXT, description: 'The unusual circumstances' }) @IsString() @IsNotEmpty() @MaxLength(MAX_TEXT) text!: string;
}

export class RecordOutcomeKnownDto {
  @ApiProperty({ description: 'When the outcome became known (ISO 8601)' }) @IsISO8601({ strict: true }) knownAt!: string;
}

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

export class ListReferralsQueryDto {
  @ApiPropertyOptional({ enum: ['sent', 'received'] }) @IsOptional() @IsIn(['sent', 'received']) direction?: 'sent' | 'received';
  @ApiPropertyOptional({ enum: REFERRAL_STATUSES }) @IsOptional() @IsIn(REFERRAL_STATUSES) status?: ReferralStatus;
  @ApiPropertyOptional({ enum: SDOH_NEEDS }) @IsOptional() @IsIn(SDOH_NEEDS) need?: SdohNeed;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) createdFrom?: string;
  @ApiPropertyOptional({ description: 'Exclusive' }) @IsOptional() @IsISO8601({ strict: true }) createdTo?: string;
  @ApiPropertyOptional({ description: 'Only referrals with a platform standard overdue now' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ enum: ['created', 'updated'], default: 'created' }) @IsOptional() @IsIn(['created', 'updated']) sort?: 'created' | 'updated';
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' }) @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 25 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}
