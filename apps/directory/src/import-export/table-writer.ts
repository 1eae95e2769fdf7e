import type { PoolClient } from 'pg';
import { EntityManager } from 'typeorm';
import { HsdsRecord, HsdsTable } from '../hsds/hsds-tables';
import { copyRows } from './copy-rows';

export interface TableCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface TableWritten {
  counts: TableCounts;
  /** The rows copied in as new: the directory did not hold them before. */
  created: string[];
}

const quote = (name: string) => `"${name}"`;

/** Writes an import's rows into the HSDS tables, through the transaction's own connection. */
export class TableWriter {
  constructor(
    private readonly manager: EntityManager,
    private readonly client: PoolClient,
  ) {}

  /** One table's rows: COPY for those `there` says are new, a staged upsert for the rest (all, without `there`). */
  async write(table: HsdsTable, rows: HsdsRecord[], there: Set<string> | undefined): Promise<TableWritten> {
    const columns = table.fields.map((field) => field.name);
    const counts: TableCounts = { inserted: 0, updated: 0, unchanged: 0 };
    // A COPY straight into the table costs about three quarters of staging and upserting the same rows.
    const isNew = (record: HsdsRecord) => there !== undefined && !there.has(String(record.id).toLowerCase());
    const fresh = rows.filter(isNew);
    const known = there ? rows.filter((record) => !isNew(record)) : rows;
    if (fresh.length) {
      await copyRows(this.client, `hsds_${table.name}`, columns, fresh);
      counts.inserted += fresh.length;
    }
    if (known.length) {
      const staged = `staged_hsds_${table.name}`;
      await this.manager.query(`CREATE TEMPORARY TABLE ${staged} ON COMMIT DROP AS SELECT ${columns.map(quote).join(', ')} FROM hsds_${table.name} WITH NO DATA`);
      await copyRows(this.client, staged, columns, known);
      const [result] = await this.manager.query(upsertSql(table, staged));
      await this.manager.query(`DROP TABLE ${staged}`);
      counts.inserted += Number(result.inserted);
      counts.updated += Number(result.written) - Number(result.inserted);
      counts.unchanged += known.length - Number(result.written);
    }
    return { counts, created: fresh.map((record) => String(record.id)) };
  }
}

/** Upsert of the staged rows; rows whose values did not change are not rewritten. */
export function upsertSql(table: HsdsTable, staged: string): string {
  const columns = table.fields.map((field) => quote(field.name));
  const target = `hsds_${table.name}`;
  const updated = columns.filter((c) => c !== '"id"');
  return `
    WITH written AS (
      INSERT INTO ${target} (${columns.join(', ')})
      SELECT ${columns.join(', ')} FROM ${staged}
      ON CONFLICT (id) DO UPDATE SET ${updated.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
      WHERE (${updated.map((c) => `${target}.${c}`).join(', ')}) IS DISTINCT FROM (${updated.map((c) => `EXCLUDED.${c}`).join(', ')})
      RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) AS written FROM written`;
}
