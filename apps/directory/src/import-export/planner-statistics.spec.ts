import { HsdsPackage } from './hsds-package';
import { PlannerStatistics } from './planner-statistics';

function packageWith(table: string, rows: number): HsdsPackage {
  const pkg = new HsdsPackage();
  for (let row = 0; row < rows; row++) pkg.add(table, { file: `${table}.csv`, row: row + 2, path: '', record: { id: `id-${row}` } }, false);
  return pkg;
}

describe('PlannerStatistics', () => {
  it('analyzes the id columns of a table the import at least doubles, never analyzed ones included', () => {
    const statistics = new PlannerStatistics(new Map([['hsds_service', -1]]));
    expect(statistics.stale(packageWith('service', 3))).toEqual([{ table: 'hsds_service', columns: ['id', 'organization_id', 'program_id'] }]);
  });

  it('leaves alone a table the import adds less than its own size to', () => {
    const statistics = new PlannerStatistics(new Map([['hsds_service', 4]]));
    expect(statistics.stale(packageWith('service', 3))).toEqual([]);
    expect(statistics.stale(packageWith('service', 4))).toHaveLength(1);
  });
});
