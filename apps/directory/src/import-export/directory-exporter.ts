import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { visibleRows } from '../hsds/confidentiality';
import { HSDS_DATAPACKAGE, HSDS_TABLES, hsdsTable } from '../hsds/hsds-tables';

/** RFC 4180 field: quoted when it holds a comma, quote, line break or edge whitespace. */
function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Writes the directory as an HSDS 3.0 tabular package: the spec's datapackage.json and one CSV per
 * resource, columns in the spec's order. Confidential locations and everything attached to them are left
 * out (the package still resolves: their service_at_location rows go too).
 */
export class DirectoryExporter {
  constructor(private readonly dataSource: DataSource) {}

  async tableCsv(name: string): Promise<{ csv: string; rows: number }> {
    const table = hsdsTable(name);
    const columns = table.fields.map((field) => `r."${field.name}"::text`);
    const rows: Record<string, string | null>[] = await this.dataSource.query(
      `SELECT ${columns.join(', ')} FROM hsds_${table.name} r WHERE ${visibleRows(table.name)} ORDER BY r.id`,
    );
    const lines = [table.fields.map((field) => field.name).join(',')];
    for (const row of rows) lines.push(table.fields.map((field) => csvField(row[field.name])).join(','));
    return { csv: `${lines.join('\r\n')}\r\n`, rows: rows.length };
  }

  async writePackage(folder: string): Promise<Record<string, number>> {
    await mkdir(folder, { recursive: true });
    const counts: Record<string, number> = {};
    await writeFile(join(folder, 'datapackage.json'), `${JSON.stringify(HSDS_DATAPACKAGE, null, 2)}\n`);
    for (const table of HSDS_TABLES) {
      const { csv, rows } = await this.tableCsv(table.name);
      counts[table.name] = rows;
      await writeFile(join(folder, table.path), csv);
    }
    return counts;
  }
}
