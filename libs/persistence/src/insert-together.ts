import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Inserts rows that belong together (a referral, its client and its first timeline entry) as ONE
 * statement — each row an `INSERT` in a CTE — so they cost one round trip instead of one each,
 * and skip the ORM's per-row query building. Foreign keys between them are checked at the end of
 * the statement, so the order of `rows` is free. Column names and JSON columns come from the
 * entities' own metadata.
 */
export async function insertTogether(manager: EntityManager, rows: [EntityTarget<ObjectLiteral>, ObjectLiteral][]): Promise<void> {
  const params: unknown[] = [];
  const statements = rows.map(([target, row]) => {
    const metadata = manager.connection.getMetadata(target);
    const columns = metadata.columns.filter((column) => column.getEntityValue(row) !== undefined);
    const values = columns.map((column) => {
      const value = column.getEntityValue(row);
      const json = column.type === 'jsonb' || column.type === 'json';
      params.push(json && value !== null ? JSON.stringify(value) : value);
      return json ? `$${params.length}::${column.type}` : `$${params.length}`;
    });
    return `INSERT INTO ${metadata.tablePath} (${columns.map((c) => `"${c.databaseName}"`).join(', ')}) VALUES (${values.join(', ')})`;
  });
  const [last, ...before] = statements.reverse();
  const sql = before.length ? `WITH ${before.map((s, i) => `w${i} AS (${s})`).join(', ')} ${last}` : last!;
  await manager.query(sql, params);
}
