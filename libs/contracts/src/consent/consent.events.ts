import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { defineEvent } from '../contract';
import { ORGANIZATION_KINDS, OrganizationKind } from '../directory/organization.requests';
import { CONSENT_METHODS, CONSENT_PURPOSES, ConsentMethod, ConsentPurpose, DATA_CATEGORIES, DataCategory } from './consent.codes';

/** Who a consent lets receive: exactly one of a named organization, any network member, or organizations of a kind. */
export class ConsentRecipient {
  @IsOptional() @IsUUID() organizationId?: string;
  @IsOptional() @IsBoolean() anyMember?: boolean;
  @IsOptional() @IsIn(ORGANIZATION_KINDS) organizationKind?: OrganizationKind;
}

/** Ids and codes only: who the consent is for and what it allows, never the person's data. */
export class ConsentGranted {
  @IsUUID() consentId!: string;
  @IsUUID() clientId!: string;
  /** The organization that recorded it (and discloses under it). */
  @IsUUID() grantorOrganizationId!: string;
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => ConsentRecipient) recipients!: ConsentRecipient[];
  @IsArray() @ArrayMinSize(1) @IsIn(CONSENT_PURPOSES, { each: true }) purposes!: ConsentPurpose[];
  @IsArray() @ArrayMinSize(1) @IsIn(DATA_CATEGORIES, { each: true }) categories!: DataCategory[];
  @IsIn(CONSENT_METHODS) method!: ConsentMethod;
  @IsISO8601() effectiveFrom!: string;
  @IsOptional() @IsISO8601() expiresAt?: string;
  @IsISO8601() occurredAt!: string;
}

/** Revoked entirely, or (with `organizationId`) for that one recipient: caches drop what relied on it. */
export class ConsentRevoked {
  @IsUUID() consentId!: string;
  @IsUUID() clientId!: string;
  @IsOptional() @IsUUID() organizationId?: string;
  @IsISO8601() occurredAt!: string;
}

export class ConsentExpired {
  @IsUUID() consentId!: string;
  @IsUUID() clientId!: string;
  @IsISO8601() expiredAt!: string;
  @IsISO8601() occurredAt!: string;
}

/** An org-admin merged a duplicate: whatever held `mergedClientId` now follows `survivingClientId`. */
export class ClientMerged {
  @IsUUID() survivingClientId!: string;
  @IsUUID() mergedClientId!: string;
  @IsUUID() organizationId!: string;
  @IsISO8601() occurredAt!: string;
}

/** The consent service's events, on stream CONSENT, subjects `consent.v1.<type>`. */
export const ConsentEvents = {
  granted: defineEvent('consent.v1.granted', 'CONSENT', ConsentGranted),
  revoked: defineEvent('consent.v1.revoked', 'CONSENT', ConsentRevoked),
  expired: defineEvent('consent.v1.expired', 'CONSENT', ConsentExpired),
  clientMerged: defineEvent('consent.v1.client-merged', 'CONSENT', ClientMerged),
} as const;
