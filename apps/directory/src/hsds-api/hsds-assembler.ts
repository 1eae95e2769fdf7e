import { EntityManager } from 'typeorm';
import { visibleRows } from '../hsds/confidentiality';
import { HSDS_TABLE_BY_NAME } from '../hsds/hsds-tables';

export type HsdsObject = Record<string, unknown>;

/** How a nested property is found: child rows pointing at the parent, or the one row the parent points at. */
export type Nesting =
  | { property: string; table: string; by: 'child'; column: string; where?: string; nested?: Nesting[] }
  | { property: string; table: string; by: 'parent'; column: string; nested?: Nesting[] };

const attributes = (entity: string): Nesting => ({
  property: 'attributes',
  table: 'attribute',
  by: 'child',
  column: 'link_id',
  where: `r.link_entity = '${entity}'`,
  nested: [{ property: 'taxonomy_term', table: 'taxonomy_term', by: 'parent', column: 'taxonomy_term_id' }],
});
const phones = (column: string): Nesting => ({
  property: 'phones',
  table: 'phone',
  by: 'child',
  column,
  nested: [{ property: 'languages', table: 'language', by: 'child', column: 'phone_id' }],
});
const contacts = (column: string): Nesting => ({ property: 'contacts', table: 'contact', by: 'child', column, nested: [phones('contact_id')] });
const metadata: Nesting = { property: 'metadata', table: 'metadata', by: 'child', column: 'resource_id' };

const LOCATION: Nesting[] = [
  { property: 'languages', table: 'language', by: 'child', column: 'location_id' },
  { property: 'addresses', table: 'address', by: 'child', column: 'location_id' },
  contacts('location_id'),
  { property: 'accessibility', table: 'accessibility', by: 'child', column: 'location_id' },
  phones('location_id'),
  { property: 'schedules', table: 'schedule', by: 'child', column: 'location_id' },
  attributes('location'),
  metadata,
];

/** A fully nested service, as `GET /services/{id}` returns it. */
export const FULL_SERVICE: Nesting[] = [
  phones('service_id'),
  { property: 'schedules', table: 'schedule', by: 'child', column: 'service_id' },
  { property: 'service_areas', table: 'service_area', by: 'child', column: 'service_id' },
  {
    property: 'service_at_locations',
    table: 'service_at_location',
    by: 'child',
    column: 'service_id',
    nested: [
      contacts('service_at_location_id'),
      phones('service_at_location_id'),
      { property: 'schedules', table: 'schedule', by: 'child', column: 'service_at_location_id' },
      { property: 'location', table: 'location', by: 'parent', column: 'location_id', nested: LOCATION },
      attributes('service_at_location'),
    ],
  },
  { property: 'languages', table: 'language', by: 'child', column: 'service_id' },
  { property: 'organization', table: 'organization', by: 'parent', column: 'organization_id' },
  { property: 'funding', table: 'funding', by: 'child', column: 'service_id' },
  { property: 'cost_options', table: 'cost_option', by: 'child', column: 'service_id' },
  { property: 'program', table: 'program', by: 'parent', column: 'program_id' },
  { property: 'required_documents', table: 'required_document', by: 'child', column: 'service_id' },
  contacts('service_id'),
  attributes('service'),
  metadata,
];

/** A service in a list: its own fields with its organization and program. */
export const LISTED_SERVICE: Nesting[] = [
  { property: 'organization', table: 'organization', by: 'parent', column: 'organization_id' },
  { property: 'program', table: 'program', by: 'parent', column: 'program_id' },
];

export const FULL_ORGANIZATION: Nesting[] = [
  { property: 'funding', table: 'funding', by: 'child', column: 'organization_id' },
  contacts('organization_id'),
  phones('organization_id'),
  { property: 'locations', table: 'location', by: 'child', column: 'organization_id', nested: LOCATION },
  { property: 'programs', table: 'program', by: 'child', column: 'organization_id' },
  { property: 'organization_identifiers', table: 'organization_identifier', by: 'child', column: 'organization_id' },
  attributes('organization'),
  metadata,
];

export const SERVICE_AT_LOCATION: Nesting[] = [
  { property: 'location', table: 'location', by: 'parent', column: 'location_id' },
  { property: 'service', table: 'service', by: 'parent', column: 'service_id', nested: LISTED_SERVICE },
];

export const FULL_SERVICE_AT_LOCATION: Nesting[] = [
  contacts('service_at_location_id'),
  phones('service_at_location_id'),
  { property: 'schedules', table: 'schedule', by: 'child', column: 'service_at_location_id' },
  { property: 'location', table: 'location', by: 'parent', column: 'location_id', nested: LOCATION },
  { property: 'service', table: 'service', by: 'parent', column: 'service_id', nested: LISTED_SERVICE },
  attributes('service_at_location'),
];

export const TAXONOMY_TERM: Nesting[] = [{ property: 'taxonomy_detail', table: 'taxonomy', by: 'parent', column: 'taxonomy_id' }];

/**
 * Builds HSDS JSON objects from the tables, one query per nesting level for a whole page. Only HSDS fields
 * are written (the network's columns stay inside), nulls are left out, numbers are numbers, and rows that
 * describe a confidential location are never read.
 */
export class HsdsAssembler {
  constructor(private readonly manager: EntityManager) {}

  async rows(table: string, where: string, params: unknown[]): Promise<HsdsObject[]> {
    const raw: Record<string, unknown>[] = await this.manager.query(
      `SELECT r.* FROM hsds_${table} r WHERE (${where}) AND ${visibleRows(table)} ORDER BY r.id`,
      params,
    );
    return raw.map((row) => toHsds(table, row));
  }

  /** Nests the given properties into already loaded objects of `table`. */
  async nest(objects: HsdsObject[], nesting: Nesting[]): Promise<HsdsObject[]> {
    if (!objects.length) return objects;
    for (const spec of nesting) {
      if (spec.by === 'child') {
        const ids = objects.map((o) => o.id as string);
        const children = await this.rows(spec.table, `r.${spec.column} = ANY ($1::uuid[])${spec.where ? ` AND ${spec.where}` : ''}`, [ids]);
        await this.nest(children, spec.nested ?? []);
        const byParent = new Map<string, HsdsObject[]>();
        for (const child of children) {
          const key = child[spec.column] as string;
          if (!byParent.has(key)) byParent.set(key, []);
          byParent.get(key)!.push(child);
        }
        for (const object of objects) object[spec.property] = byParent.get(object.id as string) ?? [];
      } else {
        const ids = [...new Set(objects.map((o) => o[spec.column]).filter((v): v is string => typeof v === 'string'))];
        const targets = ids.length ? await this.rows(spec.table, `r.id = ANY ($1::uuid[])`, [ids]) : [];
        await this.nest(targets, spec.nested ?? []);
        const byId = new Map(targets.map((t) => [t.id as string, t]));
        for (const object of objects) {
          const target = byId.get(object[spec.column] as string);
          // Pointed objects are shared between parents: give each its own copy.
          if (target) object[spec.property] = structuredClone(target);
        }
      }
    }
    return objects;
  }
}

/** A table row as HSDS JSON: spec fields only, no nulls, numbers as numbers. */
export function toHsds(table: string, row: Record<string, unknown>): HsdsObject {
  const definition = HSDS_TABLE_BY_NAME.get(table);
  const object: HsdsObject = {};
  for (const field of definition?.fields ?? []) {
    const value = row[field.name];
    if (value === null || value === undefined) continue;
    object[field.name] = field.type === 'number' || field.type === 'integer' ? Number(value) : value;
  }
  return object;
}
