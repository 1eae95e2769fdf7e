import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@nwd/errors';
import { visibleRows } from '../hsds/confidentiality';
import { resolvePostcode } from '../hsds/postcodes';
import {
  HsdsOrganizationQueryDto,
  HsdsPageQueryDto,
  HsdsServiceAtLocationQueryDto,
  HsdsServiceQueryDto,
  HsdsTaxonomyTermQueryDto,
} from './dto/hsds-query.dto';
import {
  FULL_ORGANIZATION,
  FULL_SERVICE,
  FULL_SERVICE_AT_LOCATION,
  HsdsAssembler,
  HsdsObject,
  LISTED_SERVICE,
  SERVICE_AT_LOCATION,
  TAXONOMY_TERM,
} from './hsds-assembler';

/** The HSDS `Page` envelope. */
export interface HsdsPage {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: HsdsObject[];
}

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

/** The Open Referral HSDS 3.0 API over the directory: public, read-only, paged as the spec says. */
@Injectable()
export class HsdsApiService {
  constructor(private readonly dataSource: DataSource) {}

  private assembler(): HsdsAssembler {
    return new HsdsAssembler(this.dataSource.manager);
  }

  async services(query: HsdsServiceQueryDto): Promise<HsdsPage> {
    const filters = this.serviceFilters(query, 's');
    return this.page('service', 's', filters, query, async (objects) => {
      if (query.minimal) return objects.map(({ id, last_modified }) => ({ id, ...(last_modified ? { last_modified } : {}) }));
      return this.assembler().nest(objects, query.full ? FULL_SERVICE : LISTED_SERVICE);
    });
  }

  async service(id: string): Promise<HsdsObject> {
    const [service] = await this.assembler().rows('service', `r.id = $1 AND NOT r.confidential`, [id]);
    if (!service) throw DomainError.notFound('directory.service-not-found', `No public service ${id}`);
    const [full] = await this.assembler().nest([service], FULL_SERVICE);
    return full;
  }

  async organizations(query: HsdsOrganizationQueryDto): Promise<HsdsPage> {
    const filters = new Filters();
    if (query.search) {
      const like = filters.value(escapeLike(query.search));
      filters.add(() => `(o.name ILIKE ${like} OR o.alternate_name ILIKE ${like} OR o.description ILIKE ${like})`);
    }
    return this.page('organization', 'o', filters, query, (objects) => this.nestOrganizations(objects, query.full === true, query.full_service === true));
  }

  async organization(id: string, fullService: boolean): Promise<HsdsObject> {
    const [organization] = await this.assembler().rows('organization', `r.id = $1`, [id]);
    if (!organization) throw DomainError.notFound('directory.hsds-organization-not-found', `No organization ${id} in the directory`);
    const [full] = await this.nestOrganizations([organization], true, fullService);
    return full;
  }

  private async nestOrganizations(objects: HsdsObject[], full: boolean, fullService: boolean): Promise<HsdsObject[]> {
    const assembler = this.assembler();
    if (full || fullService) await assembler.nest(objects, FULL_ORGANIZATION);
    if (!full && !fullService) return objects;
    const services = await assembler.rows('service', `r.organization_id = ANY ($1::uuid[]) AND NOT r.confidential`, [objects.map((o) => o.id)]);
    await assembler.nest(services, fullService ? FULL_SERVICE : []);
    for (const organization of objects) {
      organization.services = services
        .filter((s) => s.organization_id === organization.id)
        .map((s) => (fullService ? s : { id: s.id, name: s.name, status: s.status }));
    }
    return objects;
  }

  async serviceAtLocations(query: HsdsServiceAtLocationQueryDto): Promise<HsdsPage> {
    const filters = this.serviceFilters(query, 's');
    filters.add(() => `EXISTS (SELECT 1 FROM hsds_service s WHERE s.id = sal.service_id AND ${PUBLIC_SERVICE})`);
    const serviceWhere = filters.sql;
    const outer = new Filters();
    outer.params.push(...filters.params);
    outer.add(() => `EXISTS (SELECT 1 FROM hsds_service s WHERE s.id = sal.service_id AND ${serviceWhere})`);
    if (query.postcode) {
      const point = resolvePostcode(query.postcode);
      if (query.proximity !== undefined) {
        const lat = outer.value(point.latitude);
        const lon = outer.value(point.longitude);
        const meters = outer.value(Number(query.proximity));
        // Confidential locations have no coordinates to offer: they never match a proximity search.
        outer.add(
          () => `EXISTS (SELECT 1 FROM hsds_location l WHERE l.id = sal.location_id AND l.latitude IS NOT NULL
            AND l.id NOT IN (SELECT location_id FROM hsds_confidential_location)
            AND earth_box(ll_to_earth(${lat}, ${lon}), ${meters}) @> ll_to_earth(l.latitude::float8, l.longitude::float8)
            AND earth_distance(ll_to_earth(${lat}, ${lon}), ll_to_earth(l.latitude::float8, l.longitude::float8)) <= ${meters})`,
        );
      } else {
        const postcode = outer.value(point.postcode);
        const city = outer.value(point.city.toLowerCase());
        // Without a proximity, the postcode must fall in the service's area: its named city or the postcode itself.
        outer.add(
          () => `(EXISTS (SELECT 1 FROM hsds_service_area sa WHERE sa.service_id = sal.service_id
                    AND (lower(sa.name) = ${city} OR sa.name = ${postcode} OR sa.extent = ${postcode}))
                  OR EXISTS (SELECT 1 FROM hsds_address a WHERE a.location_id = sal.location_id AND a.postal_code = ${postcode}
                    AND a.location_id NOT IN (SELECT location_id FROM hsds_confidential_location)))`,
        );
      }
    }
    // The service filters name `s`; each page row is a service at a location.
    return this.page('service_at_location', 'sal', outer, query, (objects) =>
      this.assembler().nest(objects, query.full ? FULL_SERVICE_AT_LOCATION : SERVICE_AT_LOCATION),
    );
  }

  async serviceAtLocation(id: string): Promise<HsdsObject> {
    const [sal] = await this.assembler().rows(
      'service_at_location',
      `r.id = $1 AND EXISTS (SELECT 1 FROM hsds_service s WHERE s.id = r.service_id AND ${PUBLIC_SERVICE})`,
      [id],
    );
    if (!sal) throw DomainError.notFound('directory.service-at-location-not-found', `No public service at location ${id}`);
    const [full] = await this.assembler().nest([sal], FULL_SERVICE_AT_LOCATION);
    return full;
  }

  async taxonomies(query: HsdsPageQueryDto): Promise<HsdsPage> {
    const filters = new Filters();
    if (query.search) {
      const like = filters.value(escapeLike(query.search));
      filters.add(() => `(t.name ILIKE ${like} OR t.description ILIKE ${like})`);
    }
    return this.page('taxonomy', 't', filters, query, async (objects) => objects);
  }

  async taxonomy(id: string): Promise<HsdsObject> {
    const [taxonomy] = await this.assembler().rows('taxonomy', `r.id = $1`, [id]);
    if (!taxonomy) throw DomainError.notFound('directory.taxonomy-not-found', `No taxonomy ${id}`);
    return taxonomy;
  }

  async taxonomyTerms(query: HsdsTaxonomyTermQueryDto): Promise<HsdsPage> {
    const filters = new Filters();
    if (query.search) {
      const like = filters.value(escapeLike(query.search));
      filters.add(() => `(t.name ILIKE ${like} OR t.description ILIKE ${like} OR t.code ILIKE ${like})`);
    }
    if (query.taxonomy_id) {
      const id = filters.value(query.taxonomy_id);
      filters.add(() => `t.taxonomy_id = ${id}`);
    }
    if (query.parent_id) {
      const id = filters.value(query.parent_id);
      filters.add(() => `t.parent_id = ${id}`);
    }
    if (query.top_only) filters.add(() => `t.parent_id IS NULL`);
    return this.page('taxonomy_term', 't', filters, query, (objects) => this.assembler().nest(objects, TAXONOMY_TERM));
  }

  async taxonomyTerm(id: string): Promise<HsdsObject> {
    const [term] = await this.assembler().rows('taxonomy_term', `r.id = $1`, [id]);
    if (!term) throw DomainError.notFound('directory.taxonomy-term-not-found', `No taxonomy term ${id}`);
    const [full] = await this.assembler().nest([term], TAXONOMY_TERM);
    return full;
  }

  /** Filters on services, shared by /services and /service_at_locations. */
  private serviceFilters(query: HsdsServiceQueryDto | HsdsServiceAtLocationQueryDto, s: string): Filters {
    const filters = new Filters();
    filters.add(() => `NOT ${s}.confidential`);
    if (query.search) {
      const like = filters.value(escapeLike(query.search));
      filters.add(() => `(${s}.name ILIKE ${like} OR ${s}.alternate_name ILIKE ${like} OR ${s}.description ILIKE ${like})`);
    }
    if (query.taxonomy_term_id) {
      const id = filters.value(query.taxonomy_term_id);
      filters.add(() => `EXISTS (SELECT 1 FROM hsds_attribute a WHERE a.link_id = ${s}.id AND a.taxonomy_term_id = ${id})`);
    }
    if (query.taxonomy_id) {
      const id = filters.value(query.taxonomy_id);
      filters.add(
        () => `EXISTS (SELECT 1 FROM hsds_attribute a JOIN hsds_taxonomy_term t ON t.id = a.taxonomy_term_id
                        WHERE a.link_id = ${s}.id AND t.taxonomy_id = ${id})`,
      );
    }
    if (query.organization_id) {
      const id = filters.value(query.organization_id);
      filters.add(() => `${s}.organization_id = ${id}`);
    }
    if (query.modified_after) {
      const after = filters.value(query.modified_after);
      filters.add(() => `${s}.last_modified::timestamptz >= ${after}::timestamptz`);
    }
    return filters;
  }

  private async page(
    table: string,
    alias: string,
    filters: Filters,
    query: HsdsPageQueryDto,
    shape: (objects: HsdsObject[]) => Promise<HsdsObject[]>,
  ): Promise<HsdsPage> {
    const page = query.page ?? 1;
    const perPage = query.per_page ?? 50;
    const manager = this.dataSource.manager;
    const where = `${filters.sql} AND ${visibleRows(table, alias)}`;
    const [{ total }] = await manager.query(`SELECT count(*)::int AS total FROM hsds_${table} ${alias} WHERE ${where}`, filters.params);
    const ids: { id: string }[] = await manager.query(
      `SELECT ${alias}.id FROM hsds_${table} ${alias} WHERE ${where} ORDER BY ${alias}.id
       LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`,
      filters.params,
    );
    const objects = ids.length ? await this.assembler().rows(table, `r.id = ANY ($1::uuid[])`, [ids.map((r) => r.id)]) : [];
    const contents = await shape(objects);
    const totalPages = Math.ceil(total / perPage);
    return {
      total_items: total,
      total_pages: totalPages,
      page_number: page,
      size: contents.length,
      first_page: page === 1,
      last_page: page >= totalPages,
      empty: contents.length === 0,
      contents,
    };
  }
}
