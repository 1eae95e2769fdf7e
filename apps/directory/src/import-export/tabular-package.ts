import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HSDS_TABLES, HsdsTable } from '../hsds/hsds-tables';
import { readCsvTable } from './csv-table';
import { HsdsPackage } from './hsds-package';
import { HsdsValidator } from './hsds-validator';

/**
 * A tabular package, its files loaded and left to be read table by table. Each resource's CSV file is
 * optional (a partial package updates only what it holds); unknown CSV files and unknown columns are
 * refused rather than silently dropped.
 */
export async function openTabularPackage(folder: string, validator = new HsdsValidator()): Promise<TabularPackage> {
  const files = new Map<string, string>();
  for (const name of await readdir(folder)) {
    if (name.endsWith('.csv')) files.set(name, await readFile(join(folder, name), 'utf8'));
  }
  return new TabularPackage(files, validator);
}

/** A tabular package, read at once. */
export async function readTabularPackage(folder: string, validator = new HsdsValidator()): Promise<HsdsPackage> {
  return (await openTabularPackage(folder, validator)).readNow();
}

/**
 * A tabular package read as an import asks for each table, so that parsing and validating one table's
 * CSV happens while PostgreSQL stores the table before it: the importer asks for a table, starts its
 * COPY and asks for the next. Reading yields to the event loop every few thousand rows, so the COPY in
 * flight keeps streaming.
 */
export class TabularPackage extends HsdsPackage {
  private readonly unread = new Map<string, { table: HsdsTable; file: string; text: string; lines?: number }>();
  private readonly reads = new Map<string, Promise<void>>();

  constructor(
    files: Map<string, string>,
    private readonly validator = new HsdsValidator(),
  ) {
    super();
    const byPath = new Map(HSDS_TABLES.map((table) => [table.path, table]));
    for (const [file, text] of files) {
      const table = byPath.get(file);
      if (table) this.unread.set(table.name, { table, file, text });
      else this.problems.push({ file, message: `not an HSDS 3.0 resource (expected one of ${[...byPath.keys()].join(', ')})` });
    }
  }

  /** Rows read, and the lines of the files not read yet (less their headers; a quoted line break counts one too many). */
  override get expectedSize(): number {
    let lines = 0;
    for (const source of this.unread.values()) {
      if (source.lines === undefined) {
        source.lines = 0;
        for (let at = source.text.indexOf('\n'); at >= 0; at = source.text.indexOf('\n', at + 1)) source.lines++;
      }
      lines += Math.max(0, source.lines - 1);
    }
    return this.size + lines;
  }

  override async read(table?: HsdsTable): Promise<void> {
    if (!table) {
      for (const { table: unread } of [...this.unread.values()]) await this.read(unread);
      await Promise.all(this.reads.values());
      return;
    }
    // Asked again while being read (an import that starts over): the same reading.
    let reading = this.reads.get(table.name);
    if (!reading) this.reads.set(table.name, (reading = this.readTable(table)));
    return reading;
  }

  private async readTable(table: HsdsTable): Promise<void> {
    const source = this.unread.get(table.name);
    if (!source) return;
    this.unread.delete(table.name);
    for (const _ of readCsvTable(this, table, source.file, source.text, this.validator)) await new Promise(setImmediate);
  }

  /** Reads every file at once, in the order given. */
  readNow(): this {
    for (const source of this.unread.values()) for (const _ of readCsvTable(this, source.table, source.file, source.text, this.validator));
    this.unread.clear();
    return this;
  }
}

export function parseTabular(files: Map<string, string>, validator = new HsdsValidator()): HsdsPackage {
  return new TabularPackage(files, validator).readNow();
}
