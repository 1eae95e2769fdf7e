import { IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Min } from 'class-validator';
import { defineEvent, defineRequest } from '../contract';

/**
 * A service's capacity to take referrals: the SDOH Clinical Care capacity codes (and HSDS 3.1's
 * service_capacity). `waitlist` comes with an expected wait.
 */
export const CAPACITY_STATUSES = ['accepting', 'waitlist', 'not-accepting', 'additional-assessment-required'] as const;
export type CapacityStatus = (typeof CAPACITY_STATUSES)[number];

/** A listing's service, its locations or schedules changed (any edit, capacity included). */
export class ServiceUpdated {
  @IsUUID() serviceId!: string;
  /** The maintaining network organization, when the listing has one. */
  @IsOptional() @IsUUID() organizationId?: string;
  /** The HSDS organization that provides the service (a listing, not necessarily a network member). */
  @IsUUID() providerOrganizationId!: string;
  /** What changed, by part: `service`, `location`, `schedule`, `capacity`, `verification`. */
  @IsArray() @IsString({ each: true }) changed!: string[];
  @IsISO8601() updatedAt!: string;
}

export class CapacityChanged {
  @IsUUID() serviceId!: string;
  @IsOptional() @IsUUID() organizationId?: string;
  @IsUUID() providerOrganizationId!: string;
  @IsIn(CAPACITY_STATUSES) previousStatus!: CapacityStatus;
  @IsIn(CAPACITY_STATUSES) status!: CapacityStatus;
  @IsOptional() @IsInt() @Min(0) expectedWaitDays?: number;
  @IsISO8601() changedAt!: string;
}

/** Not verified within the network's freshness period; announced once, until verified again. */
export class ListingStale {
  @IsUUID() serviceId!: string;
  @IsOptional() @IsUUID() organizationId?: string;
  @IsUUID() providerOrganizationId!: string;
  @IsISO8601() lastVerifiedAt!: string;
  @IsISO8601() staleSince!: string;
}

export const DirectoryEvents = {
  serviceUpdated: defineEvent('directory.v1.service-updated', 'DIRECTORY', ServiceUpdated),
  capacityChanged: defineEvent('directory.v1.capacity-changed', 'DIRECTORY', CapacityChanged),
  listingStale: defineEvent('directory.v1.listing-stale', 'DIRECTORY', ListingStale),
} as const;

export class GetServiceRequest {
  @IsUUID() serviceId!: string;
}

/** What the referral service needs to accept a `receivingServiceId`; unknown → `directory.service-not-found`. */
export class ServiceSummary {
  @IsUUID() id!: string;
  /** The maintaining network organization: the one a referral to this service goes to (absent: phone referrals only). */
  @IsOptional() @IsUUID() organizationId?: string;
  @IsUUID() providerOrganizationId!: string;
  @IsIn(CAPACITY_STATUSES) capacityStatus!: CapacityStatus;
  @IsOptional() @IsInt() @Min(0) expectedWaitDays?: number;
  @IsBoolean() acceptsElectronicReferrals!: boolean;
  @IsString() status!: string;
}

export const DirectoryServiceRequests = {
  getService: defineRequest('directory.v1.service.get', GetServiceRequest, ServiceSummary),
} as const;
