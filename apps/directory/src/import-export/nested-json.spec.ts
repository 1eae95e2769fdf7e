import { readJsonServices } from './nested-json';

const SERVICE = '1f0e0d0c-0b0a-4009-8807-060504030201';
const ORGANIZATION = '2f0e0d0c-0b0a-4009-8807-060504030201';
const PHONE = '3f0e0d0c-0b0a-4009-8807-060504030201';

const service = (name: string) => ({
  id: SERVICE,
  name,
  status: 'active',
  organization: { id: ORGANIZATION, name: 'Food Bank', description: 'Groceries' },
  phones: [{ id: PHONE, number: '555-0100' }],
});

describe('readJsonServices', () => {
  it('splits a nested service into rows, filling the links the nesting implies', () => {
    const pkg = readJsonServices('services.json', JSON.stringify([service('Pantry')]));
    expect(pkg.problems).toEqual([]);
    expect(pkg.rows('service').map((row) => row.record)).toEqual([expect.objectContaining({ id: SERVICE, organization_id: ORGANIZATION })]);
    expect(pkg.rows('phone')).toEqual([expect.objectContaining({ row: 1, path: 'phones[0]', record: expect.objectContaining({ service_id: SERVICE }) })]);
    expect(pkg.ids('organization')).toEqual(new Set([ORGANIZATION]));
  });

  it('reads one service per line, and reports the line that is not JSON', () => {
    const pkg = readJsonServices('services.ndjson', `${JSON.stringify(service('Pantry'))}\n{nope\n`);
    expect(pkg.ids('service').size).toBe(1);
    expect(pkg.problems).toEqual([expect.objectContaining({ file: 'services.ndjson', row: 2, message: expect.stringContaining('unreadable JSON') })]);
  });

  it('merges an object repeated under two documents, and reports two values for one field', () => {
    const other = { ...service('Pantry'), id: '1f0e0d0c-0b0a-4009-8807-060504030202', phones: [] };
    const renamed = { ...other, id: '1f0e0d0c-0b0a-4009-8807-060504030203', organization: { ...other.organization, name: 'Renamed' } };
    const pkg = readJsonServices('services.json', JSON.stringify([service('Pantry'), other, renamed]));
    expect(pkg.ids('organization').size).toBe(1);
    expect(pkg.problems).toEqual([expect.objectContaining({ row: 3, field: 'organization.name', message: expect.stringContaining('conflicts with organization') })]);
  });
});
