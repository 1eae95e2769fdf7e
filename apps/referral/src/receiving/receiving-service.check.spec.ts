import type { ServiceSummary } from '@nwd/contracts';
import { DomainError } from '@nwd/errors';
import { checkReceivingService } from './receiving-service.check';

const RECEIVER = '0190f0a4-0000-7000-8000-000000000001';
const SOMEONE_ELSE = '0190f0a4-0000-7000-8000-000000000002';

function service(overrides: Partial<ServiceSummary> = {}): ServiceSummary {
  return {
    id: '0190f0a4-0000-7000-8000-0000000000aa',
    organizationId: RECEIVER,
    providerOrganizationId: '0190f0a4-0000-7000-8000-0000000000bb',
    capacityStatus: 'accepting',
    acceptsElectronicReferrals: true,
    status: 'active',
    ...overrides,
  };
}

function thrown(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('checkReceivingService', () => {
  it('accepts an accepting service of the receiving organization without warnings', () => {
    expect(checkReceivingService(service(), RECEIVER)).toEqual([]);
  });

  it('accepts a listing with no network maintainer (phone referrals) for any receiver', () => {
    expect(checkReceivingService(service({ organizationId: undefined }), SOMEONE_ELSE)).toEqual([]);
  });

  it.each(['inactive', 'defunct', 'temporarily closed'] as const)('refuses a %s service with 422', (status) => {
    const error = thrown(() => checkReceivingService(service({ status }), RECEIVER));
    expect(error).toMatchObject({ kind: 'unprocessable', code: 'referral.service-inactive' });
  });

  it('refuses a service maintained by another organization, naming receivingServiceId', () => {
    const error = thrown(() => checkReceivingService(service({ organizationId: SOMEONE_ELSE }), RECEIVER));
    expect(error.kind).toBe('invalid');
    expect(error.extensions.errors).toEqual([{ field: 'receivingServiceId', messages: [expect.stringContaining('another organization')] }]);
  });

  it('refuses a not-accepting service as unprocessable with its own code', () => {
    const error = thrown(() => checkReceivingService(service({ capacityStatus: 'not-accepting' }), RECEIVER));
    expect(error).toMatchObject({ kind: 'unprocessable', code: 'referral.service-not-accepting' });
  });

  it('warns about a waitlist with the expected wait', () => {
    expect(checkReceivingService(service({ capacityStatus: 'waitlist', expectedWaitDays: 21 }), RECEIVER)).toEqual([
      { code: 'referral.service-waitlist', message: expect.stringContaining('21 days'), expectedWaitDays: 21 },
    ]);
    expect(checkReceivingService(service({ capacityStatus: 'waitlist' }), RECEIVER)).toEqual([
      { code: 'referral.service-waitlist', message: 'The receiving service has a waitlist' },
    ]);
  });

  it('warns when the service requires an additional assessment', () => {
    expect(checkReceivingService(service({ capacityStatus: 'additional-assessment-required' }), RECEIVER)).toEqual([
      { code: 'referral.service-assessment-required', message: expect.any(String) },
    ]);
  });
});
