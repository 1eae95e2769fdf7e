import { hsdsTable } from '../hsds/hsds-tables';
import { upsertSql } from './table-writer';

describe('upsertSql', () => {
  it('upserts the staged rows by id and rewrites only those whose values changed', () => {
    const sql = upsertSql(hsdsTable('taxonomy'), 'staged_hsds_taxonomy');
    expect(sql).toContain('INSERT INTO hsds_taxonomy ("id", "name", "description", "uri", "version")');
    expect(sql).toContain('FROM staged_hsds_taxonomy');
    expect(sql).toContain('ON CONFLICT (id) DO UPDATE SET "name" = EXCLUDED."name"');
    expect(sql).not.toContain('"id" = EXCLUDED."id"');
    expect(sql).toContain('IS DISTINCT FROM (EXCLUDED."name", EXCLUDED."description", EXCLUDED."uri", EXCLUDED."version")');
  });
});
