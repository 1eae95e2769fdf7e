import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
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
  ClientDetails,
  InlineConsent,
  CONTACT_RESULTS,
  ContactChannel,
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
import { ValidateBoolean, ValidateDateTime, ValidateEnum, ValidateInt, ValidateUUID } from '@nwd/http';

/** Limits on free text: a partner learns of an oversize field with a 400 naming it, not a truncated record. */
export const MAX_NAME = 100;
export const MAX_REASON = 1000;
export const MAX_TEXT = 4000;

/** A person new to the network, registered with the consent service in the same request: the register's own fields and rules. */
export class ReferralClientDto extends ClientDetails {}

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
  @ValidateUUID() receivingOrganizationId!: string;
  @ValidateUUID({ optional: true }) receivingServiceId?: string;

  @ApiPropertyOptional({ type: ReferralClientDto, description: 'A person new to the network, registered with the consent service; or send clientId' })
  @ValidateIf((referral: CreateReferralDto) => referral.clientId === undefined || referral.client !== undefined)
  @IsDefined({ message: 'client (a new person) or clientId (a registered one) is required' })
  @IsObject()
  @ValidateNested()
  @Type(() => ReferralClientDto)
  client?: ReferralClientDto;

  @ValidateUUID({ optional: true, description: 'A client registered with the consent service' })
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
  @ValidateEnum(REFERRAL_URGENCIES, { optional: true, default: 'routine' }) urgency?: ReferralUrgency;
}

export class ChangeStatusDto {
  @ValidateEnum(REFERRAL_STATUSES) status!: ReferralStatus;
  @ApiPropertyOptional({ maxLength: MAX_REASON, description: 'Required for rejected, cancelled, on-hold and failed' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REASON)
  reason?: string;

  @ValidateEnum(REFERRAL_OUTCOMES, { optional: true, description: 'Required for completed and failed' }) outcome?: ReferralOutcome;

  @ApiPropertyOptional({ maxLength: MAX_REASON, description: 'Required when the outcome is other' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REASON)
  outcomeText?: string;

  @ApiProperty({ description: 'The version of the referral the caller saw' }) @IsInt() @Min(1) version!: number;
}

export class ForwardReferralDto {
  @ValidateUUID() receivingOrganizationId!: string;
  @ValidateUUID({ optional: true }) receivingServiceId?: string;
  @ApiProperty({ maxLength: MAX_REASON }) @IsString() @IsNotEmpty() @MaxLength(MAX_REASON) reason!: string;
  @ApiProperty() @IsInt() @Min(1) version!: number;
}

export class AddNoteDto {
  @ApiProperty({ maxLength: MAX_TEXT }) @IsString() @IsNotEmpty() @MaxLength(MAX_TEXT) text!: string;
  @ValidateEnum(NOTE_VISIBILITIES, { description: 'shared with the other organization, or internal to yours' }) visibility!: NoteVisibility;
}

export class RecordContactAttemptDto {
  @ValidateEnum(CONTACT_CHANNELS) channel!: ContactChannel;
  @ValidateEnum(CONTACT_RESULTS) result!: ContactResult;
  @ValidateDateTime({ description: 'When the attempt was made (ISO 8601 with offset)' }) at!: string;
  @ApiPropertyOptional({ maxLength: MAX_REASON }) @IsOptional() @IsString() @MaxLength(MAX_REASON) note?: string;
}

export class AddExceptionNoteDto {
  @ValidateEnum(PLATFORM_STANDARDS, { description: 'The breached standard (or unreachable-closure, before closing)' }) standard!: PlatformStandard;

  @ApiProperty({ maxLength: MAX_TEXT, description: 'The unusual circumstances' }) @IsString() @IsNotEmpty() @MaxLength(MAX_TEXT) text!: string;
}

export class RecordOutcomeKnownDto {
  @ValidateDateTime({ description: 'When the outcome became known (ISO 8601)' }) knownAt!: string;
}

export class ListReferralsQueryDto {
  @ValidateEnum(['sent', 'received'], { optional: true }) direction?: 'sent' | 'received';
  @ValidateEnum(REFERRAL_STATUSES, { optional: true }) status?: ReferralStatus;
  @ValidateEnum(SDOH_NEEDS, { optional: true }) need?: SdohNeed;
  @ValidateDateTime({ optional: true }) createdFrom?: string;
  @ValidateDateTime({ optional: true, description: 'Exclusive' }) createdTo?: string;
  @ValidateBoolean({ optional: true, description: 'Only referrals with a platform standard overdue now' }) overdue?: boolean;
  @ValidateEnum(['created', 'updated'], { optional: true, default: 'created' }) sort?: 'created' | 'updated';
  @ValidateEnum(['asc', 'desc'], { optional: true, default: 'desc' }) order?: 'asc' | 'desc';
  @ValidateInt({ optional: true, min: 1, max: 100, default: 25 }) limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}
