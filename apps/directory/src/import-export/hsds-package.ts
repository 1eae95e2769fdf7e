import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { cellValue, HsdsField, HSDS_TABLE_BY_NAME, HSDS_TABLES, HsdsRecord, HsdsTable } from '../hsds/hsds-tables';
import { forEachCsvRecord } from './csv';
import { FieldProblem, HSDS_SCHEMAS, HsdsValidator } from './hsds-validator';

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

/**
 * A folder (tabular package: `datapackage.json` + CSV files), left to be read as it is imported, or a JSON /
 * NDJSON file of nested services, read at once.
 */
export async function readHsdsSource(location: string, validator = new HsdsValidator()): Promise<HsdsPackage> {
  if ((await stat(location)).isDirectory()) return openTabularPackage(location, validator);
  return readJsonServices(basename(location), await readFile(location, 'utf8'), validator);
}

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
    for (const _ of readCsv(this, table, source.file, source.text, this.validator)) await new Promise(setImmediate);
  }

  /** Reads every file at once, in the order given. */
  readNow(): this {
    for (const source of this.unread.values()) for (const _ of readCsv(this, source.table, source.file, source.text, this.validator));
    this.unread.clear();
    return this;
  }
}

export function parseTabular(files: Map<string, string>, validator = new HsdsValidator()): HsdsPackage {
  return new TabularPackage(files, validator).readNow();
}

/** Rows validated between two chances for the event loop to run. */
const ROWS_PER_SLICE = 2000;

function* readCsv(pkg: HsdsPackage, table: HsdsTable, file: string, text: string, validator: HsdsValidator): Generator<void> {
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

/** HSDS JSON: an array of nested services, or one service per line (NDJSON); a single object is one service. */
export function readJsonServices(file: string, text: string, validator = new HsdsValidator()): HsdsPackage {
  const pkg = new HsdsPackage();
  const documents: { row: number; value: unknown }[] = [];
  const whole = parseWhole(text);
  if (Array.isArray(whole)) whole.forEach((value, index) => documents.push({ row: index + 1, value }));
  else if (whole !== undefined) documents.push({ row: 1, value: whole });
  else if (text.trim().startsWith('[')) {
    pkg.problems.push({ file, message: `unreadable JSON: ${jsonError(text)}` });
  } else {
    text.split(/\r?\n/).forEach((line, index) => {
      if (!line.trim()) return;
      try {
        documents.push({ row: index + 1, value: JSON.parse(line) });
      } catch (error) {
        pkg.problems.push({ file, row: index + 1, message: `unreadable JSON: ${(error as Error).message}` });
      }
    });
  }
  addServiceDocuments(pkg, file, documents, validator);
  return pkg;
}

function parseWhole(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

export function addServiceDocuments(pkg: HsdsPackage, file: string, documents: { row: number; value: unknown }[], validator = new HsdsValidator()): void {
  for (const { row, value } of documents) {
    const problems = validator.validate('service', value);
    if (problems.length) {
      for (const problem of problems) pkg.problem({ file, row, path: '' }, problem.field, problem.message);
      continue;
    }
    flatten(pkg, 'service', value as Record<string, unknown>, { file, row, path: '' }, undefined, validator);
  }
}

/** Nested property → the table its objects belong to, read from the schemas' `$ref`s. */
const NESTED: ReadonlyMap<string, ReadonlyMap<string, { table: string; many: boolean }>> = new Map(
  Object.entries(HSDS_SCHEMAS).map(([file, schema]) => {
    const properties = (schema as { properties: Record<string, { $ref?: string; items?: { $ref?: string } }> }).properties;
    const nested = new Map<string, { table: string; many: boolean }>();
    for (const [name, property] of Object.entries(properties)) {
      const ref = property.$ref ?? property.items?.$ref;
      if (ref) nested.set(name, { table: ref.replace(/\.json$/, ''), many: !property.$ref });
    }
    return [file.replace(/\.json$/, ''), nested];
  }),
);

interface Parent {
  table: string;
  record: HsdsRecord;
  /** Ids known along the nesting, by table: a program under a service belongs to the service's organization. */
  linked(table: string): string | number | undefined;
}

/**
 * Splits a nested HSDS object into table rows. Links the nesting implies are filled in when the
 * publisher left them out: a phone under a service gets `service_id`, a service gets `organization_id`
 * from its nested organization, an attribute gets `link_id`/`link_entity`.
 */
function flatten(
  pkg: HsdsPackage,
  table: string,
  value: Record<string, unknown>,
  at: { file: string; row: number; path: string },
  parent: Parent | undefined,
  validator: HsdsValidator,
): HsdsRecord {
  const definition = HSDS_TABLE_BY_NAME.get(table);
  const nested = NESTED.get(table) ?? new Map();
  const record: HsdsRecord = {};
  for (const field of definition?.fields ?? []) {
    const v = value[field.name];
    if (typeof v === 'string' || typeof v === 'number') record[field.name] = v;
  }
  if (parent) {
    const link = `${parent.table}_id`;
    if (definition?.fields.some((f) => f.name === link) && record[link] === undefined) record[link] = parent.record.id;
    // Other links only when the tabular form requires them: filling optional ones would attach a location's
    // phone to the service too, which the publisher did not say.
    for (const field of definition?.fields ?? []) {
      const linked = field.name.endsWith('_id') ? parent.linked(field.name.slice(0, -3)) : undefined;
      if (field.required && record[field.name] === undefined && linked !== undefined) record[field.name] = linked;
    }
    if (table === 'attribute') {
      record.link_id ??= parent.record.id;
      record.link_entity ??= parent.table;
    }
    if (table === 'metadata') {
      record.resource_id ??= parent.record.id;
      record.resource_type ??= parent.table;
    }
  }
  // Read when asked, not now: a nested organization fills `organization_id` only once it is flattened.
  const linked = (other: string): string | number | undefined =>
    other === table ? record.id : (record[`${other}_id`] ?? parent?.linked(other));
  const self: Parent = { table, record, linked };
  for (const [property, target] of nested) {
    const child = value[property];
    if (child === undefined || child === null) continue;
    const path = (suffix: string) => [at.path, suffix].filter(Boolean).join('.');
    if (target.many && Array.isArray(child)) {
      child.forEach((item, index) => {
        flatten(pkg, target.table, item as Record<string, unknown>, { ...at, path: path(`${property}[${index}]`) }, self, validator);
      });
    } else if (!target.many && typeof child === 'object') {
      // A single nested object is what this record points at (service → organization, attribute → taxonomy_term).
      const pointed = flatten(pkg, target.table, child as Record<string, unknown>, { ...at, path: path(property) }, { ...self, table: '' }, validator);
      const link = `${target.table}_id`;
      if (definition?.fields.some((f) => f.name === link) && record[link] === undefined) record[link] = pointed.id;
    }
  }
  if (definition) {
    const source: SourceRow = { ...at, record };
    for (const problem of validator.validateRow(definition, record)) pkg.problem(source, problem.field, problem.message);
    pkg.add(table, source, true);
  }
  return record;
}

/**
 * Checks the datapackage's foreign keys: each reference resolves inside the package or to a row already in
 * the directory. Returns the directory's rows the package refers to, by table (what must still be there
 * when the import commits).
 */
export async function checkForeignKeys(
  pkg: HsdsPackage,
  existingIds: (table: string, ids: string[]) => Promise<Set<string>>,
): Promise<Map<string, Set<string>>> {
  // The package's own maps, not rows()/ids() copies: this runs over every reference of an import.
  const none = new Map<string, SourceRow>();
  const inPackage = (table: string) => pkg.tables.get(table) ?? none;
  const missing = new Map<string, Set<string>>();
  for (const table of HSDS_TABLES) {
    for (const fk of table.foreignKeys) {
      const targets = inPackage(fk.resource);
      for (const source of inPackage(table.name).values()) {
        const target = source.record[fk.field];
        if (typeof target === 'string' && !targets.has(target)) {
          if (!missing.has(fk.resource)) missing.set(fk.resource, new Set());
          missing.get(fk.resource)!.add(target);
        }
      }
    }
  }
  const found = new Map<string, Set<string>>();
  for (const [resource, ids] of missing) found.set(resource, await existingIds(resource, [...ids]));
  // Found ids are a subset of the ids asked for: when every reference resolved, there is nothing to report.
  if ([...missing].every(([resource, ids]) => found.get(resource)!.size === ids.size)) return found;
  for (const table of HSDS_TABLES) {
    for (const fk of table.foreignKeys) {
      const targets = inPackage(fk.resource);
      const existing = found.get(fk.resource);
      for (const source of inPackage(table.name).values()) {
        const target = source.record[fk.field];
        if (typeof target === 'string' && !targets.has(target) && !existing?.has(target)) {
          pkg.problem(source, fk.field, `refers to ${fk.resource} ${target}, which is neither in the import nor in the directory`);
        }
      }
    }
  }
  return found;
}

export type { FieldProblem };
