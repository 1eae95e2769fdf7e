import type { ServiceSummary } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';

/** Something the sender should know about a referral that was nonetheless written. */
export interface ReferralWarning {
  code: string;
  message: string;
  expectedWaitDays?: number;
}

/**
 * Whether a referral may name this directory service: it must belong to the receiving organization
 * (when the listing has a network maintainer at all), be active (HSDS status: not inactive, defunct or
 * temporarily closed) and be taking referrals. A waitlist or a required assessment does not stop the
 * referral — the sender is told instead, so the client can be prepared.
 */
export function checkReceivingService(service: ServiceSummary, receivingOrganizationId: string): ReferralWarning[] {
  if (service.organizationId && service.organizationId !== receivingOrganizationId) {
    throw receivingServiceInvalid('receivingServiceId is a service of another organization than receivingOrganizationId');
  }
  if (service.status !== 'active') {
    throw DomainError.unprocessable('referral.service-inactive', `The receiving service is ${service.status} in the directory`, {
      receivingServiceId: service.id,
    });
  }
  switch (service.capacityStatus) {
    case 'not-accepting':
      throw DomainError.unprocessable('referral.service-not-accepting', 'The receiving service is not accepting referrals', {
        receivingServiceId: service.id,
      });
    case 'waitlist':
      return [
        {
          code: 'referral.service-waitlist',
          message:
            service.expectedWaitDays === undefined
              ? 'The receiving service has a waitlist'
              : `The receiving service has a waitlist; expected wait ${service.expectedWaitDays} day${service.expectedWaitDays === 1 ? '' : 's'}`,
          ...(service.expectedWaitDays === undefined ? {} : { expectedWaitDays: service.expectedWaitDays }),
        },
      ];
    case 'additional-assessment-required':
      return [{ code: 'referral.service-assessment-required', message: 'The receiving service requires an additional assessment before it takes the client' }];
    case 'accepting':
      return [];
  }
}

export function receivingServiceInvalid(message: string): DomainError {
  return DomainError.invalidField('receivingServiceId', message);
}
