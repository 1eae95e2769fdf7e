import { HsdsRecord, HsdsTable } from '../hsds/hsds-tables';

/** Where a record came from: the file, its row (CSV line or JSON document number) and, for nested JSON, its path. */
export interface SourceRow {
  file: string;
  row: number;
  /** JSON path of the record inside its document (`service_at_locations[0].location`), empty for CSV rows. */
  path: string;
  record: HsdsRecord;
}

/** A problem an import reports: per file, row and field. */
export interface ImportProblem {
  file: string;
  row?: number;
  field?: string;
  message: string;
}

/** The records of one import, by HSDS table, each with its source; one record per id. */
export class HsdsPackage {
  readonly tables = new Map<string, Map<string, SourceRow>>();
  readonly problems: ImportProblem[] = [];

  rows(table: string): SourceRow[] {
    return [...(this.tables.get(table)?.values() ?? [])];
  }

  ids(table: string): Set<string> {
    return new Set(this.tables.get(table)?.keys() ?? []);
  }

  get size(): number {
    let size = 0;
    for (const rows of this.tables.values()) size += rows.size;
    return size;
  }

  /** Rows read, and about how many are left to read: what a progress bar counts to. */
  get expectedSize(): number {
    return this.size;
  }

  /**
   * Reads what is left of the source: one table's rows, or all. A package built in memory has nothing left;
   * a tabular package is parsed table by table, as an import asks for them.
   */
  async read(_table?: HsdsTable): Promise<void> {}

  /**
   * Adds a record. The same object repeated in nested JSON (an organization under each of its services) is
   * merged; two different values for one field of one id are a conflict.
   */
  add(table: string, source: SourceRow, mergeDuplicates: boolean): void {
    let rows = this.tables.get(table);
    if (!rows) this.tables.set(table, (rows = new Map()));
    const id = source.record.id;
    if (typeof id !== 'string') return; // reported by validation
    const existing = rows.get(id);
    if (!existing) {
      rows.set(id, source);
      return;
    }
    if (!mergeDuplicates) {
      this.problem(source, 'id', `duplicate id ${id} (first at row ${existing.row})`);
      return;
    }
    for (const [field, value] of Object.entries(source.record)) {
      const current = existing.record[field];
      if (current === undefined) existing.record[field] = value;
      else if (current !== value) this.problem(source, field, `conflicts with ${table} ${id} at row ${existing.row}${existing.path ? ` (${existing.path})` : ''}`);
    }
  }

  problem(source: Pick<SourceRow, 'file' | 'row' | 'path'>, field: string | undefined, message: string): void {
    const path = [source.path, field].filter(Boolean).join('.');
    this.problems.push({ file: source.file, row: source.row, ...(path ? { field: path } : {}), message });
  }
}
