import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A location that holds any confidential listing is hidden for every service delivered there, and the search
 * rows now say so whichever listing changed.
 *
 * A search row depends on its location's confidentiality, which depends on every service at that location: a
 * shelter marked confidential after another organization's public service at the same address was listed left
 * that service's row with the coordinates, postcode and location id (a radius search bisected from three points
 * found the shelter to within 2 m). refresh_listing_search() therefore refreshes every service that shares a
 * location with the services it is given (services_sharing_locations), whichever path calls it (maintenance,
 * location edit, import), in the caller's transaction.
 *
 * The search row of a listing at a hidden location carries nothing of the location: no location or
 * service-at-location id, coordinates, postcode, or the location's languages. Its hours come from the service's
 * own schedules only; ListingIndex works them out, and says which listings it took as hidden: hours worked out
 * for a listing as public are left out if it is hidden by the time the row is written (another transaction
 * made its location confidential in between). Two writers refreshing the same listing meet on its key, which is
 * the same whether hidden or not: the later one waits, or fails, and never leaves a second row.
 *
 * hsds_confidential_location is read by every HSDS request and every refresh; partial indexes on the two flags
 * let it read the few confidential rows instead of scanning all services.
 */
export class HiddenLocationSearchRows1764100000000 implements MigrationInterface {
  name = 'HiddenLocationSearchRows1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX hsds_service_confidential ON hsds_service (id) WHERE confidential`);
    await queryRunner.query(`CREATE INDEX hsds_location_confidential ON hsds_location (id) WHERE confidential`);
    await queryRunner.query(`
      CREATE FUNCTION services_sharing_locations(service_ids uuid[]) RETURNS uuid[] LANGUAGE sql STABLE AS $$
        SELECT coalesce(array_agg(DISTINCT id), '{}') FROM (
          SELECT unnest(service_ids) AS id
          UNION ALL
          SELECT other.service_id
            FROM hsds_service_at_location mine
            JOIN hsds_service_at_location other ON other.location_id = mine.location_id
           WHERE mine.service_id = ANY (service_ids)
        ) ids
      $$`);
    await queryRunner.query(`DROP FUNCTION refresh_listing_search(uuid[], uuid[], text[], text[])`);
    await queryRunner.query(REFRESH_LISTING_SEARCH);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION refresh_listing_search(uuid[], uuid[], text[], text[], boolean[])`);
    await queryRunner.query(REFRESH_LISTING_SEARCH_WITH_HOURS);
    await queryRunner.query(`DROP FUNCTION services_sharing_locations(uuid[])`);
    await queryRunner.query(`DROP INDEX hsds_location_confidential`);
    await queryRunner.query(`DROP INDEX hsds_service_confidential`);
  }
}

const REFRESH_LISTING_SEARCH = `
  CREATE FUNCTION refresh_listing_search(service_ids uuid[], hours_keys uuid[], hours text[], hours_zones text[], hours_hidden boolean[])
  RETURNS void
  LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan SET jit = off AS $$
  BEGIN
    service_ids := services_sharing_locations(service_ids);
    DELETE FROM listing_search WHERE service_id = ANY (service_ids);
    WITH listing AS MATERIALIZED (
      SELECT s.id AS service_id, sal.id AS service_at_location_id, sal.location_id, hidden.location_id IS NOT NULL AS hidden,
             s.organization_id, s.status, s.name, s.alternate_name, s.minimum_age, s.maximum_age, s.capacity_status,
             s.accepts_electronic_referrals, s.confidential, coalesce(s.last_verified_at, s.listed_at) AS verified_at, s.time_zone
        FROM hsds_service s
        LEFT JOIN hsds_service_at_location sal ON sal.service_id = s.id
        LEFT JOIN hsds_confidential_location hidden ON hidden.location_id = sal.location_id
       WHERE s.id = ANY (service_ids)
    ),
    shown AS (
      SELECT DISTINCT location_id FROM listing WHERE NOT hidden AND location_id IS NOT NULL
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
       WHERE a.location_id IN (SELECT location_id FROM shown)
       ORDER BY a.location_id, (a.address_type = 'physical') DESC, a.id
    ),
    spoken AS (
      SELECT lg.service_id, lg.location_id, word
        FROM hsds_language lg, LATERAL (VALUES (lg.name), (lg.code)) named(word)
       WHERE (lg.service_id = ANY (service_ids) OR lg.location_id IN (SELECT location_id FROM shown))
         AND word IS NOT NULL AND word <> ''
    ),
    weekly AS (
      SELECT * FROM unnest(hours_keys, hours, hours_zones, hours_hidden) AS h(listing_key, weekly_hours, time_zone, hidden)
    ),
    langs AS (
      SELECT service_id, service_at_location_id, array_agg(DISTINCT lower(word)) AS names FROM (
        SELECT k.service_id, k.service_at_location_id, w.word FROM listing k JOIN spoken w ON w.service_id = k.service_id
        UNION ALL
        SELECT k.service_id, k.service_at_location_id, w.word FROM listing k JOIN spoken w ON w.location_id = k.location_id AND NOT k.hidden
      ) words
      GROUP BY service_id, service_at_location_id
    )
    INSERT INTO listing_search (
      listing_key, service_id, service_at_location_id, location_id, organization_id, status, document,
      need_domains, languages, service_areas, latitude, longitude, earth_point, postal_code,
      minimum_age, maximum_age, capacity_status, accepts_electronic_referrals, confidential, verified_at, time_zone, weekly_hours)
    SELECT
      coalesce(k.service_at_location_id, k.service_id), k.service_id,
      CASE WHEN NOT k.hidden THEN k.service_at_location_id END, CASE WHEN NOT k.hidden THEN k.location_id END,
      k.organization_id, k.status,
      lower(concat_ws(' ', k.name, k.alternate_name, o.name, o.alternate_name, terms.names)),
      coalesce(terms.needs, '{}'),
      coalesce(langs.names, '{}'),
      coalesce(areas.names, '{}'),
      l.latitude::float8,
      l.longitude::float8,
      CASE WHEN l.latitude IS NOT NULL AND l.longitude IS NOT NULL THEN ll_to_earth(l.latitude::float8, l.longitude::float8) END,
      addr.postal_code,
      k.minimum_age, k.maximum_age, k.capacity_status, k.accepts_electronic_referrals,
      k.confidential OR k.hidden,
      k.verified_at, coalesce(weekly.time_zone, k.time_zone), weekly.weekly_hours::int4multirange
    FROM listing k
    LEFT JOIN hsds_organization o ON o.id = k.organization_id
    LEFT JOIN hsds_location l ON l.id = k.location_id AND NOT k.hidden
    LEFT JOIN addr ON addr.location_id = l.id
    LEFT JOIN terms ON terms.service_id = k.service_id
    LEFT JOIN langs ON langs.service_id = k.service_id AND langs.service_at_location_id IS NOT DISTINCT FROM k.service_at_location_id
    LEFT JOIN areas ON areas.service_id = k.service_id
    LEFT JOIN weekly ON weekly.listing_key = coalesce(k.service_at_location_id, k.service_id) AND (weekly.hidden OR NOT k.hidden);
  END $$`;

/**
 * The function as 1763900600000 created it, copied rather than imported: a migration is frozen history, and
 * running another migration's code would change this one whenever that one is edited.
 */
const REFRESH_LISTING_SEARCH_WITH_HOURS = `
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
      END $$`;
