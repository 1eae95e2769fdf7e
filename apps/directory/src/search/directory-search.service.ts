import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@nwd/auth';
import { DomainError } from '@nwd/errors';
import { DirectoryConfig } from '../directory.config';
import { resolvePostcode } from '../listings/postcodes';
import { SearchQueryDto } from './dto/search-query.dto';

export interface SearchResult {
  serviceId: string;
  serviceName: string;
  providerOrganizationId: string | null;
  providerOrganizationName: string | null;
  /** Absent for confidential listings: they are found by need and area, and reached through their intake. */
  serviceAtLocationId: string | null;
  locationId: string | null;
  maintainerOrganizationId: string | null;
  capacity: { status: string; expectedWaitDays: number | null };
  acceptsElectronicReferrals: boolean;
  confidential: boolean;
  stale: boolean;
  lastVerifiedAt: string;
  distanceKm?: number;
  /** Why this listing is in the result, filter by filter. */
  matched: {
    text?: { score: number };
    needs?: string[];
    languages?: string[];
    serviceArea?: string;
    distanceKm?: number;
    age?: number;
    openAt?: string;
  };
}

export interface SearchResponse {
  total: number;
  limit: number;
  offset: number;
  results: SearchResult[];
  facets: { needs: Record<string, number>; capacity: Record<string, number>; acceptsElectronicReferrals: Record<string, number>; languages: Record<string, number> };
}

/** Word similarity for typo tolerance: "foood pantyr" still finds "food pantry". */
const TEXT_THRESHOLD = 0.45;

/** The referrers' search: every filter narrows (AND), results say why they matched, stale ones are marked. */
@Injectable()
export class DirectorySearchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: DirectoryConfig,
  ) {}

  async search(_principal: Principal, query: SearchQueryDto): Promise<SearchResponse> {
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = [`ls.status = 'active'`];
    let point: { lat: number; lon: number } | undefined;
    if (query.postcode) {
      const found = resolvePostcode(query.postcode);
      point = { lat: found.latitude, lon: found.longitude };
    } else if (query.lat !== undefined || query.lon !== undefined) {
      if (query.lat === undefined || query.lon === undefined) {
        throw DomainError.invalid('request.validation-failed', 'lat and lon go together', [
          { field: query.lat === undefined ? 'lat' : 'lon', messages: ['lat and lon must both be given'] },
        ]);
      }
      point = { lat: query.lat, lon: query.lon };
    }
    let textScore = 'NULL::real';
    if (query.q) {
      const q = p(query.q.toLowerCase());
      // Confidential listings are found by need and service area only, never by name.
      where.push(`NOT ls.confidential`, `${q} <% ls.document`);
      textScore = `word_similarity(${q}, ls.document)`;
    }
    if (query.need?.length) where.push(`ls.need_domains && ${p(query.need)}::text[]`);
    let distance = 'NULL::float8';
    if (point) {
      const origin = `ll_to_earth(${p(point.lat)}, ${p(point.lon)})`;
      const meters = p((query.radiusKm ?? 10) * 1000);
      where.push(`earth_box(${origin}, ${meters}) @> ls.earth_point`, `earth_distance(${origin}, ls.earth_point) <= ${meters}`);
      distance = `earth_distance(${origin}, ls.earth_point)`;
    }
    if (query.serviceArea) where.push(`ls.service_areas @> ARRAY[${p(query.serviceArea.toLowerCase())}]::text[]`);
    if (query.language) where.push(`ls.languages && ARRAY[${p(query.language.toLowerCase())}]::text[]`);
    if (query.age !== undefined) {
      const age = p(query.age);
      where.push(`coalesce(ls.minimum_age <= ${age}, true) AND coalesce(ls.maximum_age >= ${age}, true)`);
    }
    const openAt = query.openAt ?? (query.openNow ? new Date().toISOString() : undefined);
    if (openAt) {
      const local = `(${p(openAt)}::timestamptz AT TIME ZONE coalesce(ls.time_zone, ${p(this.config.NWD_DIRECTORY_TIME_ZONE)}))`;
      where.push(
        `ls.weekly_hours @> ((extract(isodow FROM ${local})::int - 1) * 1440 + extract(hour FROM ${local})::int * 60 + extract(minute FROM ${local})::int)`,
      );
    }
    if (query.acceptingOnly) where.push(`ls.capacity_status = 'accepting'`);
    if (query.electronicReferrals) where.push(`ls.accepts_electronic_referrals`);

    const filter = where.join(' AND ');
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    const order = point ? `${distance} ASC, ls.listing_key` : query.q ? `${textScore} DESC, ls.listing_key` : `ls.listing_key`;
    const staleAfter = p(this.config.NWD_LISTING_STALE_AFTER_DAYS);
    return this.dataSource.transaction(async (manager) => {
    // The index answers `<%` at this threshold: low enough for a typo or two, high enough to stay selective.
    await manager.query(`SET LOCAL pg_trgm.word_similarity_threshold = ${TEXT_THRESHOLD}`);
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT ls.*, ${distance} AS distance_m, ${textScore} AS text_score,
              ls.verified_at < now() - make_interval(days => ${staleAfter}) AS stale,
              s.name AS service_name, s.maintainer_organization_id, s.capacity_expected_wait_days, o.name AS organization_name
         FROM listing_search ls
         JOIN hsds_service s ON s.id = ls.service_id
         LEFT JOIN hsds_organization o ON o.id = ls.organization_id
        WHERE ${filter}
        ORDER BY ${order}
        LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    const facetParams = params.slice(0, params.length - 1);
    const [facets] = await manager.query(
      `WITH hits AS (SELECT ls.need_domains, ls.languages, ls.capacity_status, ls.accepts_electronic_referrals FROM listing_search ls WHERE ${filter})
       SELECT (SELECT count(*)::int FROM hits) AS total,
              (SELECT coalesce(jsonb_object_agg(k, c), '{}') FROM (SELECT unnest(need_domains) k, count(*)::int c FROM hits GROUP BY 1) x) AS needs,
              (SELECT coalesce(jsonb_object_agg(k, c), '{}') FROM (SELECT capacity_status k, count(*)::int c FROM hits GROUP BY 1) x) AS capacity,
              (SELECT coalesce(jsonb_object_agg(k, c), '{}') FROM (SELECT accepts_electronic_referrals::text k, count(*)::int c FROM hits GROUP BY 1) x) AS electronic,
              (SELECT coalesce(jsonb_object_agg(k, c), '{}') FROM (SELECT unnest(languages) k, count(*)::int c FROM hits GROUP BY 1 ORDER BY 2 DESC LIMIT 30) x) AS languages`,
      facetParams,
    );
    return {
      total: facets.total,
      limit,
      offset,
      results: rows.map((row) => this.result(row, query, openAt)),
      facets: { needs: facets.needs, capacity: facets.capacity, acceptsElectronicReferrals: facets.electronic, languages: facets.languages },
    };
    });
  }

  private result(row: Record<string, unknown>, query: SearchQueryDto, openAt: string | undefined): SearchResult {
    const confidential = row.confidential as boolean;
    const distanceKm = row.distance_m === null ? undefined : Math.round((row.distance_m as number) / 10) / 100;
    const matched: SearchResult['matched'] = {};
    if (query.q) matched.text = { score: Math.round((row.text_score as number) * 100) / 100 };
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
