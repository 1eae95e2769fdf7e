import { ERROR_CATALOG } from '@nwd/errors';
import { ContractViolation, validateMessage } from '../contract';
import { GET_SERVICE_ERROR_CODES, ServiceSummary, ServiceUpdated } from './listing.events';
import { GET_ORGANIZATION_ERROR_CODES } from './organization.requests';

const ID = '7d8f3a56-3b8e-4f7a-9d55-0d8f7c8b4a11';

function violations(schema: new () => object, data: object): string[] {
  try {
    validateMessage('test', schema, data);
    return [];
  } catch (error) {
    if (error instanceof ContractViolation) return error.errors.map((e) => e.field);
    throw error;
  }
}

describe('directory contracts', () => {
  const updated = { serviceId: ID, providerOrganizationId: ID, changed: ['service', 'capacity'], updatedAt: '2026-12-01T10:00:00Z' };
  const summary = { id: ID, providerOrganizationId: ID, capacityStatus: 'accepting', acceptsElectronicReferrals: true, status: 'active' };

  it('names what changed of a service by part, and nothing else', () => {
    expect(violations(ServiceUpdated, updated)).toEqual([]);
    expect(violations(ServiceUpdated, { ...updated, changed: ['location', 'schedule', 'verification'] })).toEqual([]);
    expect(violations(ServiceUpdated, { ...updated, changed: ['service', 'colour'] })).toEqual(['changed']);
  });

  it.each(['active', 'inactive', 'defunct', 'temporarily closed'])('carries the HSDS service status %p', (status) => {
    expect(violations(ServiceSummary, { ...summary, status })).toEqual([]);
  });

  it.each(['open', 'Active', 'temporarily-closed'])('refuses a service status outside HSDS: %p', (status) => {
    expect(violations(ServiceSummary, { ...summary, status })).toEqual(['status']);
  });

  it('declares reply codes that are not-found errors of the catalog', () => {
    for (const code of [...GET_ORGANIZATION_ERROR_CODES, ...GET_SERVICE_ERROR_CODES]) expect(ERROR_CATALOG[code].kind).toBe('not-found');
  });
});
