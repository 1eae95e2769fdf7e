import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { SearchQueryDto } from './dto/search-query.dto';
import { minuteOfLocalWeek } from './minute-of-week';

/** What narrows a search: every filter given must hold (AND). */
export type ListingSearchCriteria = Pick<SearchQueryDto, 'q' | 'need' | 'serviceArea' | 'language' | 'age' | 'acceptingOnly' | 'electronicReferrals'> & {
  /** Open at this instant (ISO 8601), in each listing's time zone or `defaultTimeZone`. */
  openAt?: string;
  near?: { lat: number; lon: number; meters: number };
  defaultTimeZone: string;
  /** A listing not verified within `staleAfterDays` before `now` is marked stale. */
  now: Date;
  staleAfterDays: number;
  limit: number;
  offset: number;
};

/** One listing of the page, its columns as the search statement names them. */
export type ListingSearchRow = Record<string, unknown>;

export interface ListingSearchHits {
  total: number;
  rows: ListingSearchRow[];
  facets: { needs: Record<string, number>; capacity: Record<string, number>; acceptsElectronicReferrals: Record<string, number>; languages: Record<string, number> };
}

/** The listings' search rows (`listing_search`), read in one statement per search. */
@Injectable()
export class ListingSearchRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The page of active listings matching `criteria`, the total and the facets of every hit. */
  async search(criteria: ListingSearchCriteria): Promise<ListingSearchHits> {
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = [`ls.status = 'active'`];
    // Confidential listings are found by need and service area only, never by name.
    if (criteria.q) where.push(`NOT ls.confidential`);
    if (criteria.need?.length) where.push(`ls.need_domains && ${p(criteria.need)}::text[]`);
    if (criteria.serviceArea) where.push(`ls.service_areas @> ARRAY[${p(criteria.serviceArea.toLowerCase())}]::text[]`);
    if (criteria.language) where.push(`ls.languages && ARRAY[${p(criteria.language.toLowerCase())}]::text[]`);
    if (criteria.age !== undefined) {
      const age = p(criteria.age);
      where.push(`coalesce(ls.minimum_age <= ${age}, true) AND coalesce(ls.maximum_age >= ${age}, true)`);
    }
    if (criteria.acceptingOnly) where.push(`ls.capacity_status = 'accepting'`);
    if (criteria.electronicReferrals) where.push(`ls.accepts_electronic_referrals`);
    if (criteria.openAt) {
      where.push(`ls.weekly_hours @> ${minuteOfLocalWeek(p(criteria.openAt), `coalesce(ls.time_zone, ${p(criteria.defaultTimeZone)})`)}`);
    }
    const point = criteria.near;
    let distance = 'NULL::float8';
    let listings = 'listing_search';
    if (point) {
      const origin = `ll_to_earth(${p(point.lat)}, ${p(point.lon)})`;
      const meters = p(point.meters);
      // Near a point the radius index is the only way in: a radius holds a few hundred listings wherever the
      // directory grows, while a need, a language or a word lists thousands more with every region added, and
      // the planner, ANDing their indexes with the radius, paid for those lists. OFFSET 0 keeps the radius
      // scan a query of its own; the other filters test the few hundred rows it returns.
      listings = `(SELECT * FROM listing_search WHERE earth_box(${origin}, ${meters}) @> earth_point OFFSET 0)`;
      where.push(`earth_distance(${origin}, ls.earth_point) <= ${meters}`);
      distance = `earth_distance(${origin}, ls.earth_point)`;
    }
    let textScore = 'NULL::real';
    if (criteria.q) {
      // The typed words become a tsquery once (search_tsquery: typo-tolerant, see its migration); each listing
      // is then one tsvector test, served by the words' GIN index when no point narrows the search first.
      const words = `(SELECT typed FROM text_query)`;
      where.push(`ls.words @@ ${words}`);
      textScore = `ts_rank(ls.words, ${words})`;
    }

    // A listing at a hidden location keeps its service-at-location id as its key, but is not ordered by it:
    // where it falls among the others would say something of that id.
    const order = point ? `distance_m ASC, listing_key` : criteria.q ? `text_score DESC, listing_key` : `sort_key, listing_key`;
    const staleAfter = p(criteria.staleAfterDays);
    const now = p(criteria.now);
    // One statement: the filter runs once into `hits`, which feeds the page, the total and every facet.
    // Near a point the page is ordered by distance: the text score is needed for the page's rows only.
    const scoreAllHits = criteria.q && !point;
    const sql = `
      WITH ${criteria.q ? `text_query AS MATERIALIZED (SELECT search_tsquery(${p(criteria.q)}) AS typed),` : ''}
      hits AS MATERIALIZED (
        SELECT ls.listing_key, coalesce(ls.service_at_location_id, ls.service_id) AS sort_key, ls.need_domains, ls.languages,
               ls.capacity_status, ls.accepts_electronic_referrals, ${distance} AS distance_m, ${scoreAllHits ? textScore : 'NULL::real'} AS text_score
          FROM ${listings} ls
         WHERE ${where.join(' AND ')}
      ),
      page AS (
        SELECT ls.listing_key, h.sort_key, ls.service_id, ls.service_at_location_id, ls.location_id, ls.organization_id, ls.need_domains,
               ls.languages, ls.capacity_status, ls.accepts_electronic_referrals, ls.confidential, ls.verified_at, h.distance_m, ${scoreAllHits ? 'h.text_score' : `${textScore} AS text_score`},
               ls.verified_at < ${now}::timestamptz - make_interval(days => ${staleAfter}) AS stale,
               s.name AS service_name, s.maintainer_organization_id, s.capacity_expected_wait_days, o.name AS organization_name
          FROM (SELECT * FROM hits ORDER BY ${order} LIMIT ${p(criteria.limit)} OFFSET ${p(criteria.offset)}) h
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
      rows: rows.filter((row) => row.listing_key !== null),
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
}
