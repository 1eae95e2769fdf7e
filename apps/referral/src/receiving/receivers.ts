import { Injectable } from '@nestjs/common';
import { Principal } from '@nwd/auth';
import { DomainError } from '@nwd/errors';
import { fieldError } from '../loop/referral-lifecycle';
import { ReceivingOrganizationCache } from './receiving-organization.cache';
import { checkReceivingService, receivingServiceInvalid, ReferralWarning } from './receiving-service.check';
import { ReceivingServiceProjection } from './receiving-service.projection';

/**
 * Who may receive a referral. The receiving organization must be a member in good standing, and a
 * named service one of its listings taking referrals: both asked of the directory, which owns
 * membership and listings.
 */
@Injectable()
export class Receivers {
  constructor(
    private readonly organizations: ReceivingOrganizationCache,
    private readonly services: ReceivingServiceProjection,
  ) {}

  /** Refuses a receiver that cannot take the referral; returns what the sender should know about one that can. */
  async assertReceivable(principal: Principal, organizationId: string, serviceId?: string): Promise<ReferralWarning[]> {
    if (organizationId === principal.organizationId) {
      throw fieldError('receivingOrganizationId', 'receivingOrganizationId must be another organization than yours');
    }
    const organization = await this.organizations.find(organizationId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'directory.organization-not-found') {
        throw fieldError('receivingOrganizationId', 'receivingOrganizationId is not an organization of the network');
      }
      throw error;
    });
    if (organization.status !== 'active') {
      throw DomainError.unprocessable('referral.organization-not-active', `${organization.name} is ${organization.status} and cannot receive referrals`, {
        receivingOrganizationId: organizationId,
      });
    }
    if (!serviceId) return [];
    const service = await this.services.find(serviceId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'directory.service-not-found') {
        throw receivingServiceInvalid('receivingServiceId is not a service in the directory');
      }
      throw error;
    });
    return checkReceivingService(service, organizationId);
  }
}
