import { checkForeignKeys } from './foreign-keys';
import { HsdsPackage } from './hsds-package';

const SERVICE = '1f0e0d0c-0b0a-4009-8807-060504030201';
const ORGANIZATION = '2f0e0d0c-0b0a-4009-8807-060504030201';
const ELSEWHERE = '2f0e0d0c-0b0a-4009-8807-060504030202';

function packageOf(organizationId: string, withOrganization: boolean): HsdsPackage {
  const pkg = new HsdsPackage();
  if (withOrganization) pkg.add('organization', { file: 'organizations.csv', row: 2, path: '', record: { id: ORGANIZATION, name: 'Food Bank' } }, false);
  pkg.add('service', { file: 'services.csv', row: 2, path: '', record: { id: SERVICE, organization_id: organizationId, name: 'Pantry' } }, false);
  return pkg;
}

describe('checkForeignKeys', () => {
  it('asks the directory nothing when every reference is in the package', async () => {
    const existingIds = jest.fn();
    expect(await checkForeignKeys(packageOf(ORGANIZATION, true), existingIds)).toEqual(new Map());
    expect(existingIds).not.toHaveBeenCalled();
  });

  it('returns the directory rows the package refers to, to be held until commit', async () => {
    const pkg = packageOf(ELSEWHERE, false);
    const found = await checkForeignKeys(pkg, async (table, ids) => new Set(table === 'organization' ? ids : []));
    expect(found).toEqual(new Map([['organization', new Set([ELSEWHERE])]]));
    expect(pkg.problems).toEqual([]);
  });

  it('reports, per row and field, a reference neither in the package nor in the directory', async () => {
    const pkg = packageOf(ELSEWHERE, false);
    await checkForeignKeys(pkg, async () => new Set());
    expect(pkg.problems).toEqual([
      { file: 'services.csv', row: 2, field: 'organization_id', message: `refers to organization ${ELSEWHERE}, which is neither in the import nor in the directory` },
    ]);
  });
});
