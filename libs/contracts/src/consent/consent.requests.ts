import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { defineRequest } from '../contract';
import { CONTACT_PREFERENCES, ContactPreference } from '../referral/referral.codes';
import {
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  ConsentMethod,
  ConsentPurpose,
  DATA_CATEGORIES,
  DataCategory,
  DISCLOSURE_CHANNELS,
  DisclosureChannel,
  ETHNICITY_CATEGORIES,
  EthnicityCategory,
  RACE_CATEGORIES,
  RaceCategory,
  SEX_CODES,
  SexCode,
  WITHHOLDING_REASONS,
  WithholdingReason,
} from './consent.codes';
import { ConsentRecipient } from './consent.events';

/** Limits as the referral service had them, so every client it ever accepted is accepted by the register. */
const MAX_NAME = 100;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const RACE_CODES = Object.keys(RACE_CATEGORIES);
const ETHNICITY_CODES = Object.keys(ETHNICITY_CATEGORIES);

/** Absent is fine, `null` is not: for fields with no "cleared" state. */
const OptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);

/**
 * A person's data as the register holds it: the one definition of its fields and their rules,
 * for the consent service's `POST /v1/clients` (and, all optional, its PATCH), the referral's
 * inline `client`, and the request/reply between them. Crosses NATS only inside request/reply with
 * the consent service (authenticated, never stored on a stream); events carry the client's id
 * alone. An optional field sent as `null` is cleared; demographics are self-reported and never required.
 */
export class ClientDetails {
  @ApiProperty({ maxLength: MAX_NAME }) @IsString() @IsNotEmpty() @MaxLength(MAX_NAME) givenName!: string;
  @ApiProperty({ maxLength: MAX_NAME }) @IsString() @IsNotEmpty() @MaxLength(MAX_NAME) familyName!: string;

  @ApiProperty({ example: '1984-03-07' })
  @Matches(DATE_ONLY, { message: 'birthDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'birthDate must be a valid calendar date' })
  birthDate!: string;

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

/** A consent recorded together with a referral: for the referral's receiving organization. */
export class InlineConsent {
  @IsIn(CONSENT_METHODS) method!: ConsentMethod;
  @IsArray() @ArrayMinSize(1) @IsIn(DATA_CATEGORIES, { each: true }) categories!: DataCategory[];
  @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(CONSENT_PURPOSES, { each: true }) purposes?: ConsentPurpose[];
  @IsOptional() @IsISO8601() expiresAt?: string;
  /** The staff member who heard a verbal consent (required for `verbal-attested`). */
  @IsOptional() @IsString() @MaxLength(200) attestedBy?: string;
  /** A reference to the signed document or recording. */
  @IsOptional() @IsString() @MaxLength(2000) evidence?: string;
}

/**
 * Everything the consent service does for a new referral, in one step and one transaction:
 * registers an inline client (or checks the sender may refer `clientId`), records an inline consent
 * for the receiver, and decides what the referral may carry to the receiver.
 * Idempotent by `referralId`: asked again, it answers as the first time and writes nothing more.
 */
export class RegisterReferralClientRequest {
  @IsUUID() referralId!: string;
  @IsUUID() senderOrganizationId!: string;
  @IsUUID() receivingOrganizationId!: string;
  /** Exactly one of `clientId` (a registered client) and `client` (registered now, with a new id). */
  @IsOptional() @IsUUID() clientId?: string;
  @IsOptional() @ValidateNested() @Type(() => ClientDetails) client?: ClientDetails;
  @IsOptional() @ValidateNested() @Type(() => InlineConsent) consent?: InlineConsent;
  /** The sender chose to send no identifiers: nothing personal is decided or disclosed. */
  @IsBoolean() deidentified!: boolean;
  /** What the referral carries besides the needs (e.g. `notes` when it has a description). */
  @IsArray() @IsIn(DATA_CATEGORIES, { each: true }) categories!: DataCategory[];
}

export class WithheldCategory {
  @IsIn(DATA_CATEGORIES) category!: DataCategory;
  @IsIn(WITHHOLDING_REASONS) reason!: WithholdingReason;
}

/** A decision: what may go to the recipient now, what may not and why, and the consents relied on. */
export class ConsentDecision {
  /** True when every category asked for is allowed. */
  @IsBoolean() permitted!: boolean;
  @IsArray() @IsIn(DATA_CATEGORIES, { each: true }) allowed!: DataCategory[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => WithheldCategory) withheld!: WithheldCategory[];
  @IsArray() @IsUUID('all', { each: true }) consentIds!: string[];
  /** Present when what is allowed includes 42 CFR Part 2 records: it must travel with them. */
  @IsOptional() @IsString() redisclosureNotice?: string;
}

export class RegisterReferralClientReply {
  @IsUUID() clientId!: string;
  @IsOptional() @IsUUID() consentId?: string;
  @ValidateNested() @Type(() => ConsentDecision) decision!: ConsentDecision;
}

/** "May `discloser` disclose `categories` of `clientId` to `recipient` for `purpose` now?" — decides, records nothing. */
export class DecideRequest {
  @IsUUID() clientId!: string;
  @IsUUID() recipientOrganizationId!: string;
  @IsIn(CONSENT_PURPOSES) purpose!: ConsentPurpose;
  @IsArray() @ArrayMinSize(1) @IsIn(DATA_CATEGORIES, { each: true }) categories!: DataCategory[];
  /** Organizations whose records the disclosure carries (the referral's sender, a receiver's notes): DV and Part 2 rules look at them. */
  @IsArray() @IsUUID('all', { each: true }) sourceOrganizationIds!: string[];
  @IsOptional() @IsIn(DISCLOSURE_CHANNELS) channel?: DisclosureChannel;
  /**
   * The recipient referred the client (sent the referral, or the first of its forward chain) and
   * reads what the sources, organizations it referred them to, wrote back: the loop's closure needs
   * no consent of its own, unless a DV or Part 2 program wrote it.
   */
  @IsOptional() @IsBoolean() toReferrer?: boolean;
}

/**
 * Decide and disclose in one step: the reply carries only what the decision allows, and the
 * disclosure is recorded in the accounting before the reply is sent — nothing is disclosed unrecorded.
 */
export class DiscloseRequest extends DecideRequest {
  @IsIn(DISCLOSURE_CHANNELS) declare channel: DisclosureChannel;
  /** The referral the disclosure happens for, recorded with it. */
  @IsOptional() @IsUUID() referralId?: string;
  @IsOptional() @IsString() @MaxLength(128) requestId?: string;
}

/** The client as the recipient may see it: only allowed fields are present. */
export class DisclosedClient {
  @IsUUID() id!: string;
  @IsOptional() @IsString() givenName?: string;
  @IsOptional() @IsString() familyName?: string;
  @IsOptional() @IsString() birthDate?: string;
  @IsOptional() @IsString() phone?: string | null;
  @IsOptional() @IsString() email?: string | null;
  @IsOptional() @IsString() postalCode?: string | null;
  @IsOptional() @IsString() preferredLanguage?: string | null;
  @IsOptional() @IsBoolean() interpreterNeeded?: boolean;
  @IsOptional() @IsIn(CONTACT_PREFERENCES) contactPreference?: ContactPreference | null;
  @IsOptional() @IsBoolean() doNotContact?: boolean;
  @IsOptional() @IsArray() race?: RaceCategory[];
  @IsOptional() @IsArray() ethnicity?: EthnicityCategory[];
  @IsOptional() @IsIn(SEX_CODES) sex?: SexCode | null;
  @IsOptional() @IsString() genderIdentity?: string | null;
}

/** The most disclosures one batch may ask. */
export const DISCLOSE_BATCH_MAX = 64;
/** The most registrations one batch may ask. */
export const REGISTER_BATCH_MAX = 32;

export class DiscloseReply {
  @ValidateNested() @Type(() => ConsentDecision) decision!: ConsentDecision;
  /** Absent when nothing personal was allowed. */
  @IsOptional() @ValidateNested() @Type(() => DisclosedClient) client?: DisclosedClient;
  /** The accounting row; absent when nothing was disclosed. */
  @IsOptional() @IsUUID() disclosureId?: string;
}

/** Several disclosures asked together (a service coalescing its concurrent reads): each decided and recorded as if asked alone. */
export class DiscloseBatchRequest {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(DISCLOSE_BATCH_MAX) @ValidateNested({ each: true }) @Type(() => DiscloseRequest) items!: DiscloseRequest[];
}

/** A refusal of one item, as a DomainError travels (the other items are unaffected). */
export class BatchItemError {
  @IsString() code!: string;
  @IsString() kind!: string;
  @IsString() message!: string;
  @IsOptional() @IsObject() extensions?: Record<string, unknown>;
}

/** One item's outcome, in the order asked: its reply, or its error. */
export class DiscloseBatchResult {
  @IsOptional() @ValidateNested() @Type(() => DiscloseReply) reply?: DiscloseReply;
  @IsOptional() @ValidateNested() @Type(() => BatchItemError) error?: BatchItemError;
}

export class DiscloseBatchReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => DiscloseBatchResult) results!: DiscloseBatchResult[];
}

/** Several new referrals' consent steps asked together (concurrent creates coalesced): each as if asked alone. */
export class RegisterReferralClientBatchRequest {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(REGISTER_BATCH_MAX) @ValidateNested({ each: true }) @Type(() => RegisterReferralClientRequest) items!: RegisterReferralClientRequest[];
}

export class RegisterReferralClientBatchResult {
  @IsOptional() @ValidateNested() @Type(() => RegisterReferralClientReply) reply?: RegisterReferralClientReply;
  @IsOptional() @ValidateNested() @Type(() => BatchItemError) error?: BatchItemError;
}

export class RegisterReferralClientBatchReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => RegisterReferralClientBatchResult) results!: RegisterReferralClientBatchResult[];
}

/** A client the referral service held before the register moved to the consent service. */
export class HandedOverClient {
  @IsUUID() id!: string;
  @IsUUID() createdByOrganizationId!: string;
  @IsISO8601() createdAt!: string;
  @ValidateNested() @Type(() => ClientDetails) details!: ClientDetails;
}

/**
 * The one-time move of the referral service's `client` rows into the register, in batches.
 * Idempotent by client id: a row already registered is confirmed again, not changed.
 */
export class HandOverClientsRequest {
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => HandedOverClient) clients!: HandedOverClient[];
}

export class HandOverClientsReply {
  /** The ids now held by the register: the sender may delete its copies of exactly these. */
  @IsArray() @IsUUID('all', { each: true }) registered!: string[];
}

export const ConsentRequests = {
  handOverClients: defineRequest('consent.v1.clients.hand-over', HandOverClientsRequest, HandOverClientsReply),
  registerReferralClient: defineRequest('consent.v1.referral-client.register', RegisterReferralClientRequest, RegisterReferralClientReply),
  decide: defineRequest('consent.v1.decide', DecideRequest, ConsentDecision),
  disclose: defineRequest('consent.v1.disclose', DiscloseRequest, DiscloseReply),
  discloseBatch: defineRequest('consent.v1.disclose-batch', DiscloseBatchRequest, DiscloseBatchReply),
  registerReferralClientBatch: defineRequest('consent.v1.referral-client.register-batch', RegisterReferralClientBatchRequest, RegisterReferralClientBatchReply),
} as const;

export { ConsentRecipient };
