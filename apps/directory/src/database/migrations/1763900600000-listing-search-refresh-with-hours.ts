import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The search rows of many services at once, set-based: refresh_listing_search() built each row from
 * per-row laterals (taxonomy terms, languages, service areas, address), index lookups repeated for every
 * service, about 0.1 ms each — a tenth of an import of 10,000 services. The same rows now come from one
 * pass per table over the services asked for (aggregated, then joined by hash), planned for the ids given
 * (`force_custom_plan`: a generic plan assumes a handful of ids and keeps the nested loops). The same
 * rows, column for column (compared on 10,134 San Mateo copies: no row differs).
 *
 * Weekly hours go into a search row as it is written, not by an UPDATE after it: since free-text hours are
 * read, about 70 % of San Mateo's listings have hours, and the UPDATE rewrote most search rows of every
 * import (a new row version through every index, and as many dead rows for the search's heap scans to step
 * over). The hours need TypeScript (RRULE-style fields, free text, time zones), so they are computed first
 * and handed over as arrays.
 */
export class ListingSearchRefreshWithHours1763900600000 implements MigrationInterface {
  // Databases migrated before the class was named for its change recorded it under this name: it stays.
  name = 'ImportRate1763900600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION refresh_listing_search(uuid[])`);
    await queryRunner.query(`
      CREATE FUNCTION refresh_listing_search(service_ids uuid[], hours_keys uuid[], hours text[], hours_zones text[]) RETURNS void
      LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan SET jit = off AS $$
      BEGIN
        DELETE FROM listing_search WHERE service_id = ANY (service_ids);
        WITH listing AS MATERIALIZED (
          SELECT s.id AS service_id, sal.id AS service_at_location_id, sal.location_id, s.organization_id, s.status,
                 s.name, s.alternate_name, s.minimum_age, s.maximum_age, s.capacity_status, s.accepts_electronic_referrals,
                 s.confidential, coalesce(s.last_verified_at, s.listed_at) AS verified_at, s.time_zone
            FROM hsds_service s LEFT JOIN hsds_service_at_location sal ON sal.service_id = s.id
           WHERE s.id = ANY (service_ids)
        ),
        terms AS (
          SELECT a.link_id AS service_id, string_agg(DISTINCT t.name, ' ') AS names,
                 array_agg(DISTINCT nd.need_domain) FILTER (WHERE nd.need_domain IS NOT NULL) AS needs
            FROM hsds_attribute a
            JOIN hsds_taxonomy_term t ON t.id = a.taxonomy_term_id
            LEFT JOIN taxonomy_term_need_domain nd ON nd.taxonomy_term_id = t.id
           WHERE a.link_id = ANY (service_ids) AND a.link_entity = 'service'
           GROUP BY a.link_id
        ),
        areas AS (
          SELECT sa.service_id, array_agg(DISTINCT lower(sa.name)) AS names
            FROM hsds_service_area sa
           WHERE sa.service_id = ANY (service_ids) AND sa.name IS NOT NULL
           GROUP BY sa.service_id
        ),
        addr AS (
          SELECT DISTINCT ON (a.location_id) a.location_id, a.postal_code
            FROM hsds_address a
           WHERE a.location_id IN (SELECT location_id FROM listing)
           ORDER BY a.location_id, (a.address_type = 'physical') DESC, a.id
        ),
        spoken AS (
          SELECT lg.service_id, lg.location_id, word
            FROM hsds_language lg, LATERAL (VALUES (lg.name), (lg.code)) named(word)
           WHERE (lg.service_id = ANY (service_ids) OR lg.location_id IN (SELECT location_id FROM listing))
             AND word IS NOT NULL AND word <> ''
        ),
        weekly AS (
          SELECT * FROM unnest(hours_keys, hours, hours_zones) AS h(listing_key, weekly_hours, time_zone)
        ),
        langs AS (
          SELECT service_id, service_at_location_id, array_agg(DISTINCT lower(word)) AS names FROM (
            SELECT k.service_id, k.service_at_location_id, w.word FROM listing k JOIN spoken w ON w.service_id = k.service_id
            UNION ALL
            SELECT k.service_id, k.service_at_location_id, w.word FROM listing k JOIN spoken w ON w.location_id = k.location_id
          ) words
          GROUP BY service_id, service_at_location_id
        )
        INSERT INTO listing_search (
          listing_key, service_id, service_at_location_id, location_id, organization_id, status, document,
          need_domains, languages, service_areas, latitude, longitude, earth_point, postal_code,
          minimum_age, maximum_age, capacity_status, accepts_electronic_referrals, confidential, verified_at, time_zone, weekly_hours)
        SELECT
          coalesce(k.service_at_location_id, k.service_id), k.service_id, k.service_at_location_id, k.location_id, k.organization_id, k.status,
          lower(concat_ws(' ', k.name, k.alternate_name, o.name, o.alternate_name, terms.names)),
          coalesce(terms.needs, '{}'),
          coalesce(langs.names, '{}'),
          coalesce(areas.names, '{}'),
          CASE WHEN hidden.location_id IS NULL THEN l.latitude::float8 END,
          CASE WHEN hidden.location_id IS NULL THEN l.longitude::float8 END,
          CASE WHEN hidden.location_id IS NULL AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL
               THEN ll_to_earth(l.latitude::float8, l.longitude::float8) END,
          CASE WHEN hidden.location_id IS NULL THEN addr.postal_code END,
          k.minimum_age, k.maximum_age, k.capacity_status, k.accepts_electronic_referrals,
          k.confidential OR hidden.location_id IS NOT NULL,
          k.verified_at, coalesce(weekly.time_zone, k.time_zone), weekly.weekly_hours::int4multirange
        FROM listing k
        LEFT JOIN hsds_organization o ON o.id = k.organization_id
        LEFT JOIN hsds_location l ON l.id = k.location_id
        LEFT JOIN hsds_confidential_location hidden ON hidden.location_id = k.location_id
        LEFT JOIN addr ON addr.location_id = l.id
        LEFT JOIN terms ON terms.service_id = k.service_id
        LEFT JOIN langs ON langs.service_id = k.service_id AND langs.service_at_location_id IS NOT DISTINCT FROM k.service_at_location_id
        LEFT JOIN areas ON areas.service_id = k.service_id
        LEFT JOIN weekly ON weekly.listing_key = coalesce(k.service_at_location_id, k.service_id);
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION refresh_listing_search(uuid[], uuid[], text[], text[])`);
    await queryRunner.query(`
      CREATE FUNCTION refresh_listing_search(service_ids uuid[]) RETURNS void LANGUAGE sql AS $$
        DELETE FROM listing_search WHERE service_id = ANY (service_ids);
        INSERT INTO listing_search (
          listing_key, service_id, service_at_location_id, location_id, organization_id, status, document,
          need_domains, languages, service_areas, latitude, longitude, earth_point, postal_code,
          minimum_age, maximum_age, capacity_status, accepts_electronic_referrals, confidential, verified_at, time_zone)
        SELECT
          coalesce(sal.id, s.id), s.id, sal.id, sal.location_id, s.organization_id, s.status,
          lower(concat_ws(' ', s.name, s.alternate_name, o.name, o.alternate_name, terms.names)),
          coalesce(terms.needs, '{}'),
          coalesce(langs.names, '{}'),
          coalesce(areas.names, '{}'),
          CASE WHEN hidden.location_id IS NULL THEN l.latitude::float8 END,
          CASE WHEN hidden.location_id IS NULL THEN l.longitude::float8 END,
          CASE WHEN hidden.location_id IS NULL AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL
               THEN ll_to_earth(l.latitude::float8, l.longitude::float8) END,
          CASE WHEN hidden.location_id IS NULL THEN addr.postal_code END,
          s.minimum_age, s.maximum_age, s.capacity_status, s.accepts_electronic_referrals,
          s.confidential OR hidden.location_id IS NOT NULL,
          coalesce(s.last_verified_at, s.listed_at), s.time_zone
        FROM hsds_service s
        LEFT JOIN hsds_organization o ON o.id = s.organization_id
        LEFT JOIN hsds_service_at_location sal ON sal.service_id = s.id
        LEFT JOIN hsds_location l ON l.id = sal.location_id
        LEFT JOIN hsds_confidential_location hidden ON hidden.location_id = sal.location_id
        LEFT JOIN LATERAL (
          SELECT a.postal_code FROM hsds_address a WHERE a.location_id = l.id
          ORDER BY (a.address_type = 'physical') DESC, a.id LIMIT 1
        ) addr ON true
        LEFT JOIN LATERAL (
          SELECT string_agg(DISTINCT t.name, ' ') AS names,
                 array_agg(DISTINCT nd.need_domain) FILTER (WHERE nd.need_domain IS NOT NULL) AS needs
          FROM hsds_attribute a
          JOIN hsds_taxonomy_term t ON t.id = a.taxonomy_term_id
          LEFT JOIN taxonomy_term_need_domain nd ON nd.taxonomy_term_id = t.id
          WHERE a.link_id = s.id AND a.link_entity = 'service'
        ) terms ON true
        LEFT JOIN LATERAL (
          SELECT array_agg(DISTINCT lower(x)) AS names FROM (
            SELECT lg.name AS x FROM hsds_language lg WHERE lg.service_id = s.id OR lg.location_id = l.id
            UNION SELECT lg.code FROM hsds_language lg WHERE lg.service_id = s.id OR lg.location_id = l.id
          ) named WHERE x IS NOT NULL AND x <> ''
        ) langs ON true
        LEFT JOIN LATERAL (
          SELECT array_agg(DISTINCT lower(sa.name)) AS names FROM hsds_service_area sa
          WHERE sa.service_id = s.id AND sa.name IS NOT NULL
        ) areas ON true
        WHERE s.id = ANY (service_ids);
      $$`);
  }
}
