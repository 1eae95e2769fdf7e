import { Injectable } from '@nestjs/common';
import { DomainError } from '@nwd/errors';
import { resolvePostcode } from '../hsds/postcodes';
import { HsdsOrganizationQueryDto, HsdsPageQueryDto, HsdsServiceAtLocationQueryDto, HsdsServiceQueryDto, HsdsTaxonomyTermQueryDto } from './dto/hsds-query.dto';
import { FULL_ORGANIZATION, FULL_SERVICE, FULL_SERVICE_AT_LOCATION, HsdsObject, LISTED_SERVICE, SERVICE_AT_LOCATION, TAXONOMY_TERM } from './hsds-assembler';
import { HsdsRecordsRepository, PageWindow, PlaceFilter, RecordPage } from './hsds-records.repository';

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

/** The Open Referral HSDS 3.0 API over the directory: public, read-only, paged as the spec says. */
@Injectable()
export class HsdsApiService {
  constructor(private readonly records: HsdsRecordsRepository) {}

  async services(query: HsdsServiceQueryDto): Promise<HsdsPage> {
    return this.page(query, (window) => this.records.publicServices(query, window), async (objects) => {
      if (query.minimal) return objects.map(({ id, last_modified }) => ({ id, ...(last_modified ? { last_modified } : {}) }));
      return this.records.nest(objects, query.full ? FULL_SERVICE : LISTED_SERVICE);
    });
  }

  async service(id: string): Promise<HsdsObject> {
    const service = await this.records.publicService(id);
    if (!service) throw DomainError.notFound('directory.service-not-found', `No public service ${id}`);
    const [full] = await this.records.nest([service], FULL_SERVICE);
    return full;
  }

  async organizations(query: HsdsOrganizationQueryDto): Promise<HsdsPage> {
    return this.page(query, (window) => this.records.organizations(query.search, window), (objects) =>
      this.nestOrganizations(objects, query.full === true, query.full_service === true),
    );
  }

  async organization(id: string, fullService: boolean): Promise<HsdsObject> {
    const organization = await this.records.organization(id);
    if (!organization) throw DomainError.notFound('directory.hsds-organization-not-found', `No organization ${id} in the directory`);
    const [full] = await this.nestOrganizations([organization], true, fullService);
    return full;
  }

  private async nestOrganizations(objects: HsdsObject[], full: boolean, fullService: boolean): Promise<HsdsObject[]> {
    if (full || fullService) await this.records.nest(objects, FULL_ORGANIZATION);
    if (!full && !fullService) return objects;
    const services = await this.records.publicServicesOf(objects.map((o) => o.id as string));
    await this.records.nest(services, fullService ? FULL_SERVICE : []);
    for (const organization of objects) {
      organization.services = services
        .filter((s) => s.organization_id === organization.id)
        .map((s) => (fullService ? s : { id: s.id, name: s.name, status: s.status }));
    }
    return objects;
  }

  async serviceAtLocations(query: HsdsServiceAtLocationQueryDto): Promise<HsdsPage> {
    let place: PlaceFilter | undefined;
    if (query.postcode) {
      const point = resolvePostcode(query.postcode);
      // Without a proximity, the postcode must fall in the service's area: its named city or the postcode itself.
      place =
        query.proximity !== undefined
          ? { near: { latitude: point.latitude, longitude: point.longitude, meters: Number(query.proximity) } }
          : { inArea: { postcode: point.postcode, city: point.city.toLowerCase() } };
    }
    return this.page(query, (window) => this.records.publicServiceAtLocations(query, place, window), (objects) =>
      this.records.nest(objects, query.full ? FULL_SERVICE_AT_LOCATION : SERVICE_AT_LOCATION),
    );
  }

  async serviceAtLocation(id: string): Promise<HsdsObject> {
    const sal = await this.records.publicServiceAtLocation(id);
    if (!sal) throw DomainError.notFound('directory.service-at-location-not-found', `No public service at location ${id}`);
    const [full] = await this.records.nest([sal], FULL_SERVICE_AT_LOCATION);
    return full;
  }

  async taxonomies(query: HsdsPageQueryDto): Promise<HsdsPage> {
    return this.page(query, (window) => this.records.taxonomies(query.search, window), async (objects) => objects);
  }

  async taxonomy(id: string): Promise<HsdsObject> {
    const taxonomy = await this.records.taxonomy(id);
    if (!taxonomy) throw DomainError.notFound('directory.taxonomy-not-found', `No taxonomy ${id}`);
    return taxonomy;
  }

  async taxonomyTerms(query: HsdsTaxonomyTermQueryDto): Promise<HsdsPage> {
    return this.page(query, (window) => this.records.taxonomyTerms(query, window), (objects) => this.records.nest(objects, TAXONOMY_TERM));
  }

  async taxonomyTerm(id: string): Promise<HsdsObject> {
    const term = await this.records.taxonomyTerm(id);
    if (!term) throw DomainError.notFound('directory.taxonomy-term-not-found', `No taxonomy term ${id}`);
    const [full] = await this.records.nest([term], TAXONOMY_TERM);
    return full;
  }

  private async page(
    query: HsdsPageQueryDto,
    read: (window: PageWindow) => Promise<RecordPage>,
    shape: (objects: HsdsObject[]) => Promise<HsdsObject[]>,
  ): Promise<HsdsPage> {
    const page = query.page ?? 1;
    const perPage = query.per_page ?? 50;
    const { total, records } = await read({ page, perPage });
    const contents = await shape(records);
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
