import { cellValue, HsdsField, HsdsRecord, HsdsTable } from '../hsds/hsds-tables';
import { forEachCsvRecord } from './csv';
import { HsdsPackage, SourceRow } from './hsds-package';
import { HsdsValidator } from './hsds-validator';

/** Rows validated between two chances for the event loop to run. */
const ROWS_PER_SLICE = 2000;

/**
 * One table's CSV file into the package: the header must name the table's fields, each row is typed and
 * validated as it is added. Yields every few thousand rows, so that the caller can let the event loop run.
 */
export function* readCsvTable(pkg: HsdsPackage, table: HsdsTable, file: string, text: string, validator: HsdsValidator): Generator<void> {
  let fields: HsdsField[] | undefined;
  let unknown: string[] = [];
  const sources: SourceRow[] = [];
  try {
    forEachCsvRecord(text, (cells, line) => {
      if (!fields) {
        const known = new Map(table.fields.map((field) => [field.name, field]));
        unknown = cells.filter((name) => !known.has(name));
        fields = cells.map((name) => known.get(name)!);
        return;
      }
      if (unknown.length) return;
      const record: HsdsRecord = {};
      for (let index = 0; index < fields.length; index++) {
        const value = cellValue(fields[index], cells[index]);
        if (value !== undefined) record[fields[index].name] = value;
      }
      sources.push({ file, row: line, path: '', record });
    });
  } catch (error) {
    pkg.problems.push({ file, message: `unreadable CSV: ${(error as Error).message}` });
    return;
  }
  if (unknown.length) {
    pkg.problems.push({ file, row: 1, message: `unknown columns: ${unknown.join(', ')}` });
    return;
  }
  for (let start = 0; start < sources.length; start += ROWS_PER_SLICE) {
    if (start) yield;
    for (const source of sources.slice(start, start + ROWS_PER_SLICE)) {
      for (const problem of validator.validateRow(table, source.record)) pkg.problem(source, problem.field, problem.message);
      pkg.add(table.name, source, false);
    }
  }
}
