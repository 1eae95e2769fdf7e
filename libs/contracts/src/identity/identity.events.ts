import { IsArray, IsIn, IsISO8601, IsUUID, Matches } from 'class-validator';
import { ORGANIZATION_PROTECTIONS, OrganizationProtection } from '../consent/consent.codes';

/** API client ids: generated UUIDs, or an operator-chosen id for the first network admin. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._-]{3,64}$/;
import { defineEvent } from '../contract';

/** An API client was revoked: every token it holds is refused from now on, on every service. */
export class ClientRevoked {
  @IsUUID() organizationId!: string;
  @Matches(CLIENT_ID_PATTERN) clientId!: string;
  @IsISO8601() revokedAt!: string;
}

/** A client's secret was rotated: tokens issued before `rotatedAt` are refused (rotation usually follows a leak). */
export class ClientRotated {
  @IsUUID() organizationId!: string;
  @Matches(CLIENT_ID_PATTERN) clientId!: string;
  @IsISO8601() rotatedAt!: string;
}

/** An organization was suspended: all its clients' tokens are refused until it is reactivated. */
export class OrganizationSuspended {
  @IsUUID() organizationId!: string;
  @IsISO8601() suspendedAt!: string;
}

export class OrganizationReactivated {
  @IsUUID() organizationId!: string;
  @IsISO8601() reactivatedAt!: string;
}

/**
 * A network admin changed which federal protections an organization's programs are under; every
 * service that decides disclosures follows these from the start of the stream.
 */
export class OrganizationProtectionsChanged {
  @IsUUID() organizationId!: string;
  @IsArray() @IsIn(ORGANIZATION_PROTECTIONS, { each: true }) protections!: OrganizationProtection[];
  @IsISO8601() changedAt!: string;
}

export const IdentityEvents = {
  clientRevoked: defineEvent('identity.v1.client-revoked', 'IDENTITY', ClientRevoked),
  clientRotated: defineEvent('identity.v1.client-rotated', 'IDENTITY', ClientRotated),
  organizationSuspended: defineEvent('identity.v1.organization-suspended', 'IDENTITY', OrganizationSuspended),
  organizationReactivated: defineEvent('identity.v1.organization-reactivated', 'IDENTITY', OrganizationReactivated),
  organizationProtectionsChanged: defineEvent('identity.v1.organization-protections-changed', 'IDENTITY', OrganizationProtectionsChanged),
} as const;
