import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { visibleRows } from '../hsds/confidentiality';
import { HsdsServiceQueryDto, HsdsTaxonomyTermQueryDto } from './dto/hsds-query.dto';
import { HsdsAssembler, HsdsObject, Nesting } from './hsds-assembler';

/** Which rows of a list: HSDS pages count from 1. */
export interface PageWindow {
  page: number;
  perPage: number;
}

/** One page of top-level records (not yet nested) and how many there are in all. */
export interface RecordPage {
  total: number;
  records: HsdsObject[];
}

/** The filters `/services` and `/service_at_locations` share. */
export type ServiceFilter = Pick<HsdsServiceQueryDto, 'search' | 'taxonomy_term_id' | 'taxonomy_id' | 'organization_id' | 'modified_after'>;

/** Where a service at a location must be: within a distance of a point, or in an area that names a postcode. */
export type PlaceFilter =
  | { near: { latitude: number; longitude: number; meters: number } }
  | { inArea: { postcode: string; city: string } };

export type TaxonomyTermFilter = Pick<HsdsTaxonomyTermQueryDto, 'search' | 'taxonomy_id' | 'parent_id' | 'top_only'>;

/** Only public listings are open data: a confidential service is found through the authenticated search only. */
const PUBLIC_SERVICE = `NOT s.confidential`;

class Filters {
  readonly where: string[] = ['true'];
  readonly params: unknown[] = [];
  add(sql: (next: () => string) => string): void {
    this.where.push(sql(() => `$${this.params.length + 1}`));
  }
  value(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  get sql(): string {
    return this.where.join(' AND ');
  }
}

function escapeLike(text: string): string {
  return `%${text.replace(/[%_\\]/g, '\\$&')}%`;
}

/**
 * The HSDS records the open-data API reads, as SQL over the `hsds_*` tables. Every read of services leaves
 * out confidential ones, and every page leaves out the rows of hidden locations (`visibleRows`).
 */
@Injectable()
export class HsdsRecordsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Nests the records' children (and parents) as `nesting` describes. */
  nest(records: HsdsObject[], nesting: Nesting[]): Promise<HsdsObject[]> {
    return this.assembler().nest(records, nesting);
  }

  publicServices(filter: ServiceFilter, window: PageWindow): Promise<RecordPage> {
    return this.page('service', 's', this.serviceFilters(filter, 's'), window);
  }

  async publicService(id: string): Promise<HsdsObject | undefined> {
    const [service] = await this.assembler().rows('service', `r.id = $1 AND NOT r.confidential`, [id]);
    return service;
  }

  /** The public services of these organizations, unnested. */
  publicServicesOf(organizationIds: string[]): Promise<HsdsObject[]> {
    return this.assembler().rows('service', `r.organization_id = ANY ($1::uuid[]) AND NOT r.confidential`, [organizationIds]);
  }

  organizations(search: string | undefined, window: PageWindow): Promise<RecordPage> {
    const filters = new Filters();
    if (search) {
      const like = filters.value(escapeLike(search));
      filters.add(() => `(o.name ILIKE ${like} OR o.alternate_name ILIKE ${like} OR o.description ILIKE ${like})`);
    }
    return this.page('organization', 'o', filters, window);
  }

  async organization(id: string): Promise<HsdsObject | undefined> {
    const [organization] = await this.assembler().rows('organization', `r.id = $1`, [id]);
    return organization;
  }

  publicServiceAtLocations(filter: ServiceFilter, place: PlaceFilter | undefined, window: PageWindow): Promise<RecordPage> {
    const filters = this.serviceFilters(filter, 's');
    filters.add(() => `EXISTS (SELECT 1 FROM hsds_service s WHERE s.id = sal.service_id AND ${PUBLIC_SERVICE})`);
    const serviceWhere = filters.sql;
    const outer = new Filters();
    outer.params.push(...filters.params);
    outer.add(() => `EXISTS (SELECT 1 FROM hsds_service s WHERE s.id = sal.service_id AND ${serviceWhere})`);
    if (place && 'near' in place) {
      const lat = outer.value(place.near.latitude);
      const lon = outer.value(place.near.longitude);
      const meters = outer.value(place.near.meters);
      // Confidential locations have no coordinates to offer: they never match a proximity search.
      outer.add(
        () => `EXISTS (SELECT 1 FROM hsds_location l WHERE l.id = sal.location_id AND l.latitude IS NOT NULL
          AND l.id NOT IN (SELECT location_id FROM hsds_confidential_location)
          AND earth_box(ll_to_earth(${lat}, ${lon}), ${meters}) @> ll_to_earth(l.latitude::float8, l.longitude::float8)
          AND earth_distance(ll_to_earth(${lat}, ${lon}), ll_to_earth(l.latitude::float8, l.longitude::float8)) <= ${meters})`,
      );
    } else if (place) {
      const postcode = outer.value(place.inArea.postcode);
      const city = outer.value(place.inArea.city);
      outer.add(
        () => `(EXISTS (SELECT 1 FROM hsds_service_area sa WHERE sa.service_id = sal.service_id
                  AND (lower(sa.name) = ${city} OR sa.name = ${postcode} OR sa.extent = ${postcode}))
                OR EXISTS (SELECT 1 FROM hsds_address a WHERE a.location_id = sal.location_id AND a.postal_code = ${postcode}
                  AND a.location_id NOT IN (SELECT location_id FROM hsds_confidential_location)))`,
      );
    }
    // The service filters name `s`; each page row is a service at a location.
    return this.page('service_at_location', 'sal', outer, window);
  }

  async publicServiceAtLocation(id: string): Promise<HsdsObject | undefined> {
    const [sal] = await this.assembler().rows(
      'service_at_location',
      `r.id = $1 AND EXISTS (SELECT 1 FROM hsds_service s WHERE s.id = r.service_id AND ${PUBLIC_SERVICE})`,
      [id],
    );
    return sal;
  }

  taxonomies(search: string | undefined, window: PageWindow): Promise<RecordPage> {
    const filters = new Filters();
    if (search) {
      const like = filters.value(escapeLike(search));
      filters.add(() => `(t.name ILIKE ${like} OR t.description ILIKE ${like})`);
    }
    return this.page('taxonomy', 't', filters, window);
  }

  async taxonomy(id: string): Promise<HsdsObject | undefined> {
    const [taxonomy] = await this.assembler().rows('taxonomy', `r.id = $1`, [id]);
    return taxonomy;
  }

  taxonomyTerms(filter: TaxonomyTermFilter, window: PageWindow): Promise<RecordPage> {
    const filters = new Filters();
    if (filter.search) {
      const like = filters.value(escapeLike(filter.search));
      filters.add(() => `(t.name ILIKE ${like} OR t.description ILIKE ${like} OR t.code ILIKE ${like})`);
    }
    if (filter.taxonomy_id) {
      const id = filters.value(filter.taxonomy_id);
      filters.add(() => `t.taxonomy_id = ${id}`);
    }
    if (filter.parent_id) {
      const id = filters.value(filter.parent_id);
      filters.add(() => `t.parent_id = ${id}`);
    }
    if (filter.top_only) filters.add(() => `t.parent_id IS NULL`);
    return this.page('taxonomy_term', 't', filters, window);
  }

  async taxonomyTerm(id: string): Promise<HsdsObject | undefined> {
    const [term] = await this.assembler().rows('taxonomy_term', `r.id = $1`, [id]);
    return term;
  }

  private assembler(): HsdsAssembler {
    return new HsdsAssembler(this.dataSource.manager);
  }

  /** Filters on services, shared by /services and /service_at_locations. */
  private serviceFilters(filter: ServiceFilter, s: string): Filters {
    const filters = new Filters();
    filters.add(() => `NOT ${s}.confidential`);
    if (filter.search) {
      const like = filters.value(escapeLike(filter.search));
      filters.add(() => `(${s}.name ILIKE ${like} OR ${s}.alternate_name ILIKE ${like} OR ${s}.description ILIKE ${like})`);
    }
    if (filter.taxonomy_term_id) {
      const id = filters.value(filter.taxonomy_term_id);
      filters.add(() => `EXISTS (SELECT 1 FROM hsds_attribute a WHERE a.link_id = ${s}.id AND a.taxonomy_term_id = ${id})`);
    }
    if (filter.taxonomy_id) {
      const id = filters.value(filter.taxonomy_id);
      filters.add(
        () => `EXISTS (SELECT 1 FROM hsds_attribute a JOIN hsds_taxonomy_term t ON t.id = a.taxonomy_term_id
                        WHERE a.link_id = ${s}.id AND t.taxonomy_id = ${id})`,
      );
    }
    if (filter.organization_id) {
      const id = filters.value(filter.organization_id);
      filters.add(() => `${s}.organization_id = ${id}`);
    }
    if (filter.modified_after) {
      const after = filters.value(filter.modified_after);
      filters.add(() => `${s}.last_modified::timestamptz >= ${after}::timestamptz`);
    }
    return filters;
  }

  private async page(table: string, alias: string, filters: Filters, { page, perPage }: PageWindow): Promise<RecordPage> {
    const manager = this.dataSource.manager;
    const where = `${filters.sql} AND ${visibleRows(table, alias)}`;
    const [{ total }] = await manager.query(`SELECT count(*)::int AS total FROM hsds_${table} ${alias} WHERE ${where}`, filters.params);
    const ids: { id: string }[] = await manager.query(
      `SELECT ${alias}.id FROM hsds_${table} ${alias} WHERE ${where} ORDER BY ${alias}.id
       LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`,
      filters.params,
    );
    const records = ids.length ? await this.assembler().rows(table, `r.id = ANY ($1::uuid[])`, [ids.map((r) => r.id)]) : [];
    return { total, records };
  }
}
