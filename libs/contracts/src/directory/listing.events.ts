import { IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Min } from 'class-validator';
import type { ErrorCode } from '@nwd/errors';
import { defineEvent, defineRequest } from '../contract';

/**
 * A service's capacity to take referrals: the SDOH Clinical Care capacity codes (and HSDS 3.1's
 * service_capacity). `waitlist` comes with an expected wait.
 */
export const CAPACITY_STATUSES = ['accepting', 'waitlist', 'not-accepting', 'additional-assessment-required'] as const;
export type CapacityStatus = (typeof CAPACITY_STATUSES)[number];

/** HSDS 3.0 `service.status`; only an `active` service takes referrals. */
export const HSDS_SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
export type HsdsServiceStatus = (typeof HSDS_SERVICE_STATUSES)[number];

/** The parts of a listing a `ServiceUpdated` names as changed. */
export const SERVICE_PARTS = ['service', 'location', 'schedule', 'capacity', 'verification'] as const;
export type ServicePart = (typeof SERVICE_PARTS)[number];

/** A listing's service, its locations or schedules changed (any edit, capacity included). */
export class ServiceUpdated {
  @IsUUID() serviceId!: string;
  /** The maintaining network organization, when the listing has one. */
  @IsOptional() @IsUUID() organizationId?: string;
  /** The HSDS organization that provides the service (a listing, not necessarily a network member). */
  @IsUUID() providerOrganizationId!: string;
  /** What changed, by part. */
  @IsArray() @IsIn(SERVICE_PARTS, { each: true }) changed!: ServicePart[];
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
  @IsIn(HSDS_SERVICE_STATUSES) status!: HsdsServiceStatus;
}

/** The codes a failed `getService` reply carries, besides the messaging ones every request may fail with. */
export const GET_SERVICE_ERROR_CODES = ['directory.service-not-found'] as const satisfies readonly ErrorCode[];
export type GetServiceErrorCode = (typeof GET_SERVICE_ERROR_CODES)[number];

export const DirectoryServiceRequests = {
  getService: defineRequest('directory.v1.service.get', GetServiceRequest, ServiceSummary),
} as const;
