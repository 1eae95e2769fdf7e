import datapackage from './hsds-schema/datapackage.json';

/** A field of an HSDS tabular resource, as the spec's datapackage declares it. */
export interface HsdsField {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime' | 'time';
  format?: string;
  required: boolean;
  enum?: readonly string[];
}

export interface HsdsForeignKey {
  field: string;
  resource: string;
}

/** One HSDS table: its CSV file in a tabular package and its columns. */
export interface HsdsTable {
  /** The resource name, e.g. `service_at_location`; the database table is `hsds_<name>`. */
  name: string;
  path: string;
  fields: HsdsField[];
  foreignKeys: HsdsForeignKey[];
}

interface RawField {
  name: string;
  type: string;
  format?: string;
  constraints?: { required?: boolean; enum?: string[] };
}

/** The HSDS 3.0 tables in the spec's datapackage order (parents before the tables that point at them is not guaranteed: FKs are deferred). */
export const HSDS_TABLES: readonly HsdsTable[] = datapackage.resources.map((resource) => ({
  name: resource.name,
  path: resource.path,
  fields: (resource.schema.fields as RawField[]).map((field) => ({
    name: field.name,
    type: field.type as HsdsField['type'],
    format: field.format,
    required: field.constraints?.required === true,
    enum: field.constraints?.enum,
  })),
  foreignKeys: ((resource.schema as { foreignKeys?: { fields: string; reference: { resource: string } }[] }).foreignKeys ?? []).map(
    (fk) => ({ field: fk.fields, resource: fk.reference.resource }),
  ),
}));

export const HSDS_TABLE_BY_NAME: ReadonlyMap<string, HsdsTable> = new Map(HSDS_TABLES.map((table) => [table.name, table]));

export function hsdsTable(name: string): HsdsTable {
  const table = HSDS_TABLE_BY_NAME.get(name);
  if (!table) throw new Error(`No HSDS table ${name}`);
  return table;
}

/** The datapackage descriptor the export writes beside its CSV files. */
export const HSDS_DATAPACKAGE = datapackage;

/** A row as HSDS JSON has it: absent fields are left out, numbers are numbers. */
export type HsdsRecord = Record<string, string | number>;

/** Typed value of one CSV cell; empty cells are absent (undefined). */
export function cellValue(field: HsdsField, text: string): string | number | undefined {
  if (text === '') return undefined;
  if (field.type === 'number' || field.type === 'integer') {
    const value = Number(text.trim());
    return Number.isFinite(value) && text.trim() !== '' ? value : text;
  }
  return text;
}
