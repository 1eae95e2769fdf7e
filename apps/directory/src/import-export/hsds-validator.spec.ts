import { hsdsTable } from '../hsds/hsds-tables';
import { HsdsValidator, toProblems } from './hsds-validator';

describe('HsdsValidator', () => {
  const validator = new HsdsValidator();
  const service = { id: 'ac148810-d857-441c-9679-408f346de14b', organization_id: 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610', name: 'Food pantry', status: 'active' };

  it('accepts a valid service row', () => {
    expect(validator.validateRow(hsdsTable('service'), service)).toEqual([]);
  });

  it('names each bad field of a row: format, type, enum and the tabular-only required fields', () => {
    const problems = validator.validateRow(hsdsTable('service'), {
      id: 'not-a-uuid',
      name: 'Food pantry',
      status: 'open',
      minimum_age: 'ten',
      email: 'nobody',
    });
    const fields = problems.map((p) => p.field).sort();
    expect(fields).toEqual(['email', 'id', 'minimum_age', 'organization_id', 'status']);
    expect(problems.find((p) => p.field === 'organization_id')?.message).toBe('is required');
    expect(problems.find((p) => p.field === 'status')?.message).toMatch(/active/);
  });

  it('validates nested documents through sibling $refs and reports JSON paths', () => {
    const problems = validator.validate('service', { ...service, phones: [{ id: 'b8b2f1e2-5b8e-4b7a-9f53-0f5f6b1c6d01' }] });
    expect(problems).toEqual([{ field: 'phones[0].number', message: 'is required' }]);
  });

  it('maps Ajv errors to one problem per field and message', () => {
    expect(
      toProblems([
        { instancePath: '/service_at_locations/1/location/latitude', keyword: 'type', params: {}, schemaPath: '', message: 'must be number' },
        { instancePath: '/service_at_locations/1/location/latitude', keyword: 'type', params: {}, schemaPath: '', message: 'must be number' },
        { instancePath: '', keyword: 'required', params: { missingProperty: 'name' }, schemaPath: '' },
      ]),
    ).toEqual([
      { field: 'service_at_locations[1].location.latitude', message: 'must be number' },
      { field: 'name', message: 'is required' },
    ]);
  });
});
