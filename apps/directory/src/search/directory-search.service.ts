import { Injectable } from '@nestjs/common';
import { Principal } from '@nwd/auth';
import { DomainError } from '@nwd/errors';
import { Clock } from '@nwd/clock';
import { DirectoryConfig } from '../directory.config';
import { resolvePostcode } from '../hsds/postcodes';
import { ListingSearchHits, ListingSearchRepository, ListingSearchRow } from './listing-search.repository';
import { SearchQueryDto } from './dto/search-query.dto';
import { SearchResponse, SearchResult } from './dto/search.response';

/** The referrers' search: every filter narrows (AND), results say why they matched, stale ones are marked. */
@Injectable()
export class DirectorySearchService {
  constructor(
    private readonly listings: ListingSearchRepository,
    private readonly config: DirectoryConfig,
    private readonly clock: Clock,
  ) {}

  async search(_principal: Principal, query: SearchQueryDto): Promise<SearchResponse> {
    let point: { lat: number; lon: number } | undefined;
    if (query.postcode) {
      const found = resolvePostcode(query.postcode);
      point = { lat: found.latitude, lon: found.longitude };
    } else if (query.lat !== undefined || query.lon !== undefined) {
      if (query.lat === undefined || query.lon === undefined) {
        throw DomainError.invalidField(query.lat === undefined ? 'lat' : 'lon', 'lat and lon must both be given', 'lat and lon go together');
      }
      point = { lat: query.lat, lon: query.lon };
    }
    const now = this.clock.now();
    const openAt = query.openAt ?? (query.openNow ? now.toISOString() : undefined);
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const { total, rows, facets } = await this.listings.search({
      ...query,
      openAt,
      near: point ? { ...point, meters: (query.radiusKm ?? 10) * 1000 } : undefined,
      defaultTimeZone: this.config.NWD_DIRECTORY_TIME_ZONE,
      now,
      staleAfterDays: this.config.NWD_LISTING_STALE_AFTER_DAYS,
      limit,
      offset,
    });
    return { total, limit, offset, results: rows.map((row) => this.result(row, query, openAt)), facets };
  }

  private result(row: ListingSearchRow, query: SearchQueryDto, openAt: string | undefined): SearchResult {
    const confidential = row.confidential as boolean;
    const distanceKm = row.distance_m === null ? undefined : Math.round((row.distance_m as number) / 10) / 100;
    const matched: SearchResult['matched'] = {};
    if (query.q) matched.text = { score: Math.round((row.text_score as number) * 1000) / 1000 };
    if (query.need?.length) matched.needs = (row.need_domains as string[]).filter((n) => query.need!.includes(n as never));
    if (query.language) matched.languages = (row.languages as string[]).filter((l) => l === query.language!.toLowerCase());
    if (query.serviceArea) matched.serviceArea = query.serviceArea;
    if (distanceKm !== undefined) matched.distanceKm = distanceKm;
    if (query.age !== undefined) matched.age = query.age;
    if (openAt) matched.openAt = openAt;
    return {
      serviceId: row.service_id as string,
      serviceName: row.service_name as string,
      providerOrganizationId: row.organization_id as string | null,
      providerOrganizationName: row.organization_name as string | null,
      serviceAtLocationId: confidential ? null : (row.service_at_location_id as string | null),
      locationId: confidential ? null : (row.location_id as string | null),
      maintainerOrganizationId: row.maintainer_organization_id as string | null,
      capacity: { status: row.capacity_status as string, expectedWaitDays: row.capacity_expected_wait_days as number | null },
      acceptsElectronicReferrals: row.accepts_electronic_referrals as boolean,
      confidential,
      stale: row.stale as boolean,
      lastVerifiedAt: (row.verified_at as Date).toISOString(),
      ...(distanceKm !== undefined ? { distanceKm } : {}),
      matched,
    };
  }
}
