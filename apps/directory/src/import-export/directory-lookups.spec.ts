import { EntityManager } from 'typeorm';
import { DirectoryLookups, SideQueries } from './directory-lookups';
import { HsdsPackage } from './hsds-package';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function packageOf(rows: Record<string, Record<string, string>[]>): HsdsPackage {
  const pkg = new HsdsPackage();
  for (const [table, records] of Object.entries(rows)) {
    records.forEach((record, index) => pkg.add(table, { file: `${table}.csv`, row: index + 2, path: '', record }, false));
  }
  return pkg;
}

describe('DirectoryLookups.touchedServices', () => {
  it('reads what the package links from the package, and asks the directory only about rows there before it', async () => {
    const query = jest.fn(async (sql: string, _params: unknown[]) => (sql.includes('FROM hsds_service WHERE organization_id') ? [{ id: id(9) }] : []));
    const lookups = new DirectoryLookups({ query } as unknown as EntityManager);
    const pkg = packageOf({
      organization: [{ id: id(1) }, { id: id(2) }],
      service: [{ id: id(3), organization_id: id(1) }],
      schedule: [{ id: id(4), service_id: id(5) }],
      attribute: [{ id: id(6), link_entity: 'service', link_id: id(7) }, { id: id(8), link_entity: 'organization', link_id: id(1) }],
    });
    const touched = await lookups.touchedServices(pkg, new Map([['organization', new Set([id(2)])]]), []);
    expect(new Set(touched)).toEqual(new Set([id(3), id(5), id(7), id(9)]));
    // Organization 2 is new: nothing in the directory can point at it.
    expect(query).toHaveBeenCalledTimes(1);
    expect(query.mock.calls[0][1]).toEqual([[id(1)]]);
  });

  it('counts the services at a location a listing left', async () => {
    const query = jest.fn(async (sql: string) => (sql.includes('WHERE location_id') ? [{ id: id(2) }] : []));
    const lookups = new DirectoryLookups({ query } as unknown as EntityManager);
    expect(await lookups.touchedServices(new HsdsPackage(), new Map(), [id(1)])).toEqual([id(2)]);
  });
});

describe('SideQueries', () => {
  it('asks one query at a time, in order, and goes on after one fails', async () => {
    const side = new SideQueries(new DirectoryLookups({} as EntityManager));
    const order: string[] = [];
    const first = side.run(async () => {
      await new Promise(setImmediate);
      order.push('first');
      throw new Error('failed');
    });
    const second = side.run(async () => {
      order.push('second');
      return 2;
    });
    await expect(first).rejects.toThrow('failed');
    expect(await second).toBe(2);
    expect(order).toEqual(['first', 'second']);
  });
});
