import { ContractViolation, validateMessage } from '../contract';
import { ReferralEvents } from './referral.events';

const base = {
  referralId: '0190f0a4-0000-7000-8000-000000000001',
  senderOrganizationId: '0190f0a4-0000-7000-8000-000000000002',
  receivingOrganizationId: '0190f0a4-0000-7000-8000-000000000003',
  status: 'requested',
  needs: ['food-insecurity'],
  version: 1,
  occurredAt: '2027-01-20T05:00:00.000Z',
};

function fieldsRefused(payload: object): string[] {
  try {
    validateMessage(ReferralEvents.overdue.subject, ReferralEvents.overdue.payload, payload);
    return [];
  } catch (error) {
    if (error instanceof ContractViolation) return error.errors.map((e) => e.field);
    throw error;
  }
}

describe('referral deadline events', () => {
  it('need the standard and the deadline, though other referral events carry no standard', () => {
    expect(fieldsRefused({ ...base, standard: 'respond', dueAt: '2027-01-20T05:00:00.000Z' })).toEqual([]);
    expect(fieldsRefused({ ...base, dueAt: '2027-01-20T05:00:00.000Z' })).toEqual(['standard']);
    expect(fieldsRefused({ ...base, standard: 'respond' })).toEqual(['dueAt']);
    expect(fieldsRefused({ ...base, standard: 'lunch', dueAt: '2027-01-20T05:00:00.000Z' })).toEqual(['standard']);
    expect(() => validateMessage(ReferralEvents.requested.subject, ReferralEvents.requested.payload, base)).not.toThrow();
  });
});
