import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { Principal } from '@nwd/auth';
import { DomainError } from '@nwd/errors';
import { Clock } from '../clock/clock';
import { DirectoryConfig } from '../directory.config';
import { resolvePostcode } from '../hsds/postcodes';
import { minuteOfLocalWeek } from './minute-of-week';
import { SearchQueryDto } from './dto/search-query.dto';
import { SearchResponse, SearchResult } from './dto/search.response';

/** The referrers' search: every filter narrows (AND), results say why they matched, stale ones are marked. */
@Injectable()
export class DirectorySearchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: DirectoryConfig,
    private readonly clock: Clock,
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
    // Confidential listings are found by need and service area only, never by name.
    if (query.q) where.push(`NOT ls.confidential`);
    if (query.need?.length) where.push(`ls.need_domains && ${p(query.need)}::text[]`);
    if (query.serviceArea) where.push(`ls.service_areas @> ARRAY[${p(query.serviceArea.toLowerCase())}]::text[]`);
    if (query.language) where.push(`ls.languages && ARRAY[${p(query.language.toLowerCase())}]::text[]`);
    if (query.age !== undefined) {
      const age = p(query.age);
      where.push(`coalesce(ls.minimum_age <= ${age}, true) AND coalesce(ls.maximum_age >= ${age}, true)`);
    }
    if (query.acceptingOnly) where.push(`ls.capacity_status = 'accepting'`);
    if (query.electronicReferrals) where.push(`ls.accepts_electronic_referrals`);
    const openAt = query.openAt ?? (query.openNow ? this.clock.now().toISOString() : undefined);
    if (openAt) {
      where.push(`ls.weekly_hours @> ${minuteOfLocalWeek(p(openAt), `coalesce(ls.time_zone, ${p(this.config.NWD_DIRECTORY_TIME_ZONE)})`)}`);
    }
    let distance = 'NULL::float8';
    let listings = 'listing_search';
    if (point) {
      const origin = `ll_to_earth(${p(point.lat)}, ${p(point.lon)})`;
      const meters = p((query.radiusKm ?? 10) * 1000);
      // Near a point the radius index is the only way in: a radius holds a few hundred listings wherever the
      // directory grows, while a need, a language or a word lists thousands more with every region added, and
      // the planner, ANDing their indexes with the radius, paid for those lists. OFFSET 0 keeps the radius
      // scan a query of its own; the other filters test the few hundred rows it returns.
      listings = `(SELECT * FROM listing_search WHERE earth_box(${origin}, ${meters}) @> earth_point OFFSET 0)`;
      where.push(`earth_distance(${origin}, ls.earth_point) <= ${meters}`);
      distance = `earth_distance(${origin}, ls.earth_point)`;
    }
    let textScore = 'NULL::real';
    if (query.q) {
      // The typed words become a tsquery once (search_tsquery: typo-tolerant, see its migration); each listing
      // is then one tsvector test, served by the words' GIN index when no point narrows the search first.
      const words = `(SELECT typed FROM text_query)`;
      where.push(`ls.words @@ ${words}`);
      textScore = `ts_rank(ls.words, ${words})`;
    }

    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    // A listing at a hidden location keeps its service-at-location id as its key, but is not ordered by it:
    // where it falls among the others would say something of that id.
    const order = point ? `distance_m ASC, listing_key` : query.q ? `text_score DESC, listing_key` : `sort_key, listing_key`;
    const staleAfter = p(this.config.NWD_LISTING_STALE_AFTER_DAYS);
    // One statement: the filter runs once into `hits`, which feeds the page, the total and every facet.
    // Near a point the page is ordered by distance: the text score is needed for the page's rows only.
    const scoreAllHits = query.q && !point;
    const sql = `
      WITH ${query.q ? `text_query AS MATERIALIZED (SELECT search_tsquery(${p(query.q)}) AS typed),` : ''}
      hits AS MATERIALIZED (
        SELECT ls.listing_key, coalesce(ls.service_at_location_id, ls.service_id) AS sort_key, ls.need_domains, ls.languages,
               ls.capacity_status, ls.accepts_electronic_referrals, ${distance} AS distance_m, ${scoreAllHits ? textScore : 'NULL::real'} AS text_score
          FROM ${listings} ls
         WHERE ${where.join(' AND ')}
      ),
      page AS (
        SELECT ls.listing_key, h.sort_key, ls.service_id, ls.service_at_location_id, ls.location_id, ls.organization_id, ls.need_domains,
               ls.languages, ls.capacity_status, ls.accepts_electronic_referrals, ls.confidential, ls.verified_at, h.distance_m, ${scoreAllHits ? 'h.text_score' : `${textScore} AS text_score`},
               ls.verified_at < now() - make_interval(days => ${staleAfter}) AS stale,
               s.name AS service_name, s.maintainer_organization_id, s.capacity_expected_wait_days, o.name AS organization_name
          FROM (SELECT * FROM hits ORDER BY ${order} LIMIT ${p(limit)} OFFSET ${p(offset)}) h
          JOIN listing_search ls ON ls.listing_key = h.listing_key
          JOIN hsds_service s ON s.id = ls.service_id
          LEFT JOIN hsds_organization o ON o.id = ls.organization_id
      ),
      facets AS (
        SELECT (SELECT count(*)::int FROM hits) AS facet_total,
               (SELECT coalesce(jsonb_object_agg(k, c), '{}') FROM (SELECT unnest(need_domains) k, count(*)::int c FROM hits GROUP BY 1) x) AS facet_needs,
               (SELECT coalesce(jsonb_object_agg(k, c), '{}') FROM (SELECT capacity_status k, count(*)::int c FROM hits GROUP BY 1) x) AS facet_capacity,
               (SELECT coalesce(jsonb_object_agg(k, c), '{}') FROM (SELECT accepts_electronic_referrals::text k, count(*)::int c FROM hits GROUP BY 1) x) AS facet_electronic,
               (SELECT coalesce(jsonb_object_agg(k, c), '{}') FROM (SELECT unnest(languages) k, count(*)::int c FROM hits GROUP BY 1 ORDER BY 2 DESC LIMIT 30) x) AS facet_languages
      )
      SELECT page.*, facets.* FROM facets LEFT JOIN page ON true ORDER BY ${order.replace(/(\w+)/g, (word) => (/^(ASC|DESC)$/.test(word) ? word : `page.${word}`))}`;
    const rows = await this.prepared(sql, params);
    const facets = rows[0];
    return {
      total: facets.facet_total as number,
      limit,
      offset,
      results: rows.filter((row) => row.listing_key !== null).map((row) => this.result(row, query, openAt)),
      facets: {
        needs: facets.facet_needs as Record<string, number>,
        capacity: facets.facet_capacity as Record<string, number>,
        acceptsElectronicReferrals: facets.facet_electronic as Record<string, number>,
        languages: facets.facet_languages as Record<string, number>,
      },
    };
  }

  /**
   * Runs the search as a named prepared statement, one per shape of query (which filters it has; every value
   * is a parameter), so each connection plans a shape once instead of on every search: planning was about
   * 40 % of the statement's time (pgbench on the search: 2.9 ms simple, 1.7 ms prepared). TypeORM has no
   * named statements, hence the pool's own client.
   */
  private async prepared(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      const name = `directory_search_${createHash('sha256').update(sql).digest('base64url').slice(0, 24)}`;
      return (await client.query({ name, text: sql, values: params })).rows;
    } finally {
      await runner.release();
    }
  }

  private result(row: Record<string, unknown>, query: SearchQueryDto, openAt: string | undefined): SearchResult {
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
