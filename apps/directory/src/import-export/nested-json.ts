import { HSDS_TABLE_BY_NAME, HsdsRecord } from '../hsds/hsds-tables';
import { HsdsPackage, SourceRow } from './hsds-package';
import { HSDS_SCHEMAS, HsdsValidator } from './hsds-validator';

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
