import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** A row of a table that has no entity (the outbox): values by column name. */
export interface TableRow {
  table: string;
  values: Record<string, unknown>;
  jsonColumns?: readonly string[];
}

export type RowToInsert = [EntityTarget<ObjectLiteral>, ObjectLiteral] | TableRow;

/**
 * Inserts rows that belong together (a referral, its client and its first timeline entry) as ONE
 * statement — each row an `INSERT` in a CTE — so they cost one round trip instead of one each,
 * and skip the ORM's per-row query building. Foreign keys between them are checked at the end of
 * the statement, so the order of `rows` is free. Column names and JSON columns come from the
 * entities' own metadata.
 */
export async function insertTogether(manager: EntityManager, rows: RowToInsert[]): Promise<void> {
  const params: unknown[] = [];
  const statements = rows.map((row) => {
    const { table, columns } = Array.isArray(row) ? entityColumns(manager, row[0], row[1]) : tableColumns(row);
    const values = columns.map(({ value, json }) => {
      params.push(json && value !== null ? JSON.stringify(value) : value);
      return json ? `$${params.length}::jsonb` : `$${params.length}`;
    });
    return `INSERT INTO ${table} (${columns.map((c) => `"${c.name}"`).join(', ')}) VALUES (${values.join(', ')})`;
  });
  const [last, ...before] = statements.reverse();
  const sql = before.length ? `WITH ${before.map((s, i) => `w${i} AS (${s})`).join(', ')} ${last}` : last!;
  await manager.query(sql, params);
}

interface ColumnValue {
  name: string;
  value: unknown;
  json: boolean;
}

function entityColumns(manager: EntityManager, target: EntityTarget<ObjectLiteral>, row: ObjectLiteral): { table: string; columns: ColumnValue[] } {
  const metadata = manager.connection.getMetadata(target);
  const columns = metadata.columns
    .map((column) => ({ name: column.databaseName, value: column.getEntityValue(row), json: column.type === 'jsonb' || column.type === 'json' }))
    .filter((column) => column.value !== undefined);
  return { table: metadata.tablePath, columns };
}

function tableColumns(row: TableRow): { table: string; columns: ColumnValue[] } {
  const columns = Object.entries(row.values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ({ name, value, json: row.jsonColumns?.includes(name) ?? false }));
  return { table: row.table, columns };
}
