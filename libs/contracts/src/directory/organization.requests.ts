import { IsArray, IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { ORGANIZATION_PROTECTIONS, OrganizationProtection } from '../consent/consent.codes';
import type { ErrorCode } from '@nwd/errors';
import { defineRequest } from '../contract';

export const ORGANIZATION_KINDS = ['health-system', 'cbo', 'coordinator', 'government'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
export const ORGANIZATION_STATUSES = ['active', 'suspended'] as const;
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number];

export class GetOrganizationRequest {
  @IsUUID() organizationId!: string;
}

/** A network member as other services need it; answered with `directory.organization-not-found` when unknown. */
export class OrganizationSummary {
  @IsUUID() id!: string;
  @IsString() name!: string;
  @IsIn(ORGANIZATION_KINDS) kind!: OrganizationKind;
  @IsIn(ORGANIZATION_STATUSES) status!: OrganizationStatus;
  /** Federal protections of its programs (absent from directories older than consent: none). */
  @IsOptional() @IsArray() @IsIn(ORGANIZATION_PROTECTIONS, { each: true }) protections?: OrganizationProtection[];
}

/** The codes a failed `getOrganization` reply carries, besides the messaging ones every request may fail with. */
export const GET_ORGANIZATION_ERROR_CODES = ['directory.organization-not-found'] as const satisfies readonly ErrorCode[];
export type GetOrganizationErrorCode = (typeof GET_ORGANIZATION_ERROR_CODES)[number];

export const DirectoryRequests = {
  getOrganization: defineRequest('directory.v1.organization.get', GetOrganizationRequest, OrganizationSummary),
} as const;
