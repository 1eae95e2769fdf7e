import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { HsdsRecord, HsdsTable } from '../hsds/hsds-tables';
import accessibility from '../hsds/hsds-schema/accessibility.json';
import address from '../hsds/hsds-schema/address.json';
import attribute from '../hsds/hsds-schema/attribute.json';
import contact from '../hsds/hsds-schema/contact.json';
import costOption from '../hsds/hsds-schema/cost_option.json';
import funding from '../hsds/hsds-schema/funding.json';
import language from '../hsds/hsds-schema/language.json';
import location from '../hsds/hsds-schema/location.json';
import metaTableDescription from '../hsds/hsds-schema/meta_table_description.json';
import metadata from '../hsds/hsds-schema/metadata.json';
import organization from '../hsds/hsds-schema/organization.json';
import organizationIdentifier from '../hsds/hsds-schema/organization_identifier.json';
import phone from '../hsds/hsds-schema/phone.json';
import program from '../hsds/hsds-schema/program.json';
import requiredDocument from '../hsds/hsds-schema/required_document.json';
import schedule from '../hsds/hsds-schema/schedule.json';
import service from '../hsds/hsds-schema/service.json';
import serviceArea from '../hsds/hsds-schema/service_area.json';
import serviceAtLocation from '../hsds/hsds-schema/service_at_location.json';
import taxonomy from '../hsds/hsds-schema/taxonomy.json';
import taxonomyTerm from '../hsds/hsds-schema/taxonomy_term.json';

/** Each HSDS 3.0 object schema under the file name its siblings `$ref` it by. */
export const HSDS_SCHEMAS: Record<string, object> = {
  'accessibility.json': accessibility,
  'address.json': address,
  'attribute.json': attribute,
  'contact.json': contact,
  'cost_option.json': costOption,
  'funding.json': funding,
  'language.json': language,
  'location.json': location,
  'meta_table_description.json': metaTableDescription,
  'metadata.json': metadata,
  'organization.json': organization,
  'organization_identifier.json': organizationIdentifier,
  'phone.json': phone,
  'program.json': program,
  'required_document.json': requiredDocument,
  'schedule.json': schedule,
  'service.json': service,
  'service_area.json': serviceArea,
  'service_at_location.json': serviceAtLocation,
  'taxonomy.json': taxonomy,
  'taxonomy_term.json': taxonomyTerm,
};

/** One problem with one field of one record: what an import reports, per file and row. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The spec's own schema keywords that are not JSON Schema; declared so Ajv stays strict about everything else. */
const HSDS_KEYWORDS = ['name', 'path', 'constraints', 'core', 'datapackage_metadata', 'tabular_required', 'example', 'order'];

/**
 * Validates HSDS records (flat rows and nested documents) against the HSDS 3.0 JSON Schemas with
 * Ajv (JSON Schema 2020-12, formats checked). Compiled once per process.
 */
export class HsdsValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
    addFormats(this.ajv);
    // Real directories hold addresses like `info@_agency.org` that RFC 5321 rejects but mail delivers;
    // the spec's own CI (python-jsonschema) only checks for an "@". Refusing a whole import over one such
    // address would keep the directory stale, which hurts referrers more.
    this.ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
    for (const keyword of HSDS_KEYWORDS) this.ajv.addKeyword(keyword);
    for (const [file, schema] of Object.entries(HSDS_SCHEMAS)) this.ajv.addSchema(schema, file);
  }

  /** Problems of a nested object (e.g. a whole service) against `<object>.json`; fields as JSON paths. */
  validate(object: string, value: unknown): FieldProblem[] {
    const validate = this.validator(`${object}.json`);
    return validate(value) ? [] : toProblems(validate.errors ?? []);
  }

  /**
   * Problems of one tabular row: the object schema plus the datapackage's own constraints, which are
   * stricter (e.g. `service.organization_id` is required in the tabular form only).
   */
  validateRow(table: HsdsTable, record: HsdsRecord): FieldProblem[] {
    const problems = this.validate(table.name, record);
    for (const field of table.fields) {
      const value = record[field.name];
      if (field.required && value === undefined && !problems.some((p) => p.field === field.name)) {
        problems.push({ field: field.name, message: 'is required' });
      }
      if (field.enum && value !== undefined && !field.enum.includes(String(value)) && !problems.some((p) => p.field === field.name)) {
        problems.push({ field: field.name, message: `must be one of ${field.enum.join(', ')}` });
      }
    }
    return problems;
  }

  private validator(file: string): ValidateFunction {
    let validate = this.compiled.get(file);
    if (!validate) {
      validate = this.ajv.getSchema(file);
      if (!validate) throw new Error(`No HSDS schema ${file}`);
      this.compiled.set(file, validate);
    }
    return validate;
  }
}

/** Ajv errors as field problems: `phones/0/number` → `phones[0].number`; a missing property names itself. */
export function toProblems(errors: ErrorObject[]): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const path = error.instancePath
      .split('/')
      .filter(Boolean)
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
      .join('')
      .replace(/^\./, '');
    const missing = error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : undefined;
    const field = missing ? (path ? `${path}.${missing}` : missing) : path || '(record)';
    const allowed = error.keyword === 'enum' ? (error.params as { allowedValues: unknown[] }).allowedValues : undefined;
    const message = missing ? 'is required' : allowed ? `must be one of ${allowed.join(', ')}` : (error.message ?? 'is invalid');
    const key = `${field} ${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push({ field, message });
    }
  }
  return problems;
}
