import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The resource directory, Open Referral HSDS 3.0 native: one table per HSDS tabular resource, with the
 * spec's own field names (generated from the HSDS 3.0 datapackage.json and reviewed), plus the network's
 * fields beside them (maintainer, capacity, verification, confidentiality), the taxonomy → need-domain
 * mapping and a denormalized search row per service.
 *
 * HSDS dates, times and datetimes are kept as the text the publisher sent (validated on import): times may
 * carry offsets ("09:00-05:00") and the import → export → import round trip must be exact. Numbers are
 * `numeric`, which keeps the digits as given.
 */
const HSDS_TABLES = ['organization', 'program', 'service', 'attribute', 'service_at_location', 'location', 'phone', 'contact', 'address', 'schedule', 'funding', 'service_area', 'required_document', 'language', 'accessibility', 'taxonomy_term', 'metadata', 'meta_table_description', 'cost_option', 'organization_identifier', 'taxonomy'];

/** Foreign-key columns, read when a service is assembled from its parts. */
const INDEXED: [string, string][] = [
  ['program', 'organization_id'],
  ['service', 'organization_id'],
  ['service', 'program_id'],
  ['attribute', 'taxonomy_term_id'],
  ['service_at_location', 'service_id'],
  ['service_at_location', 'location_id'],
  ['location', 'organization_id'],
  ['phone', 'contact_id'],
  ['phone', 'location_id'],
  ['phone', 'organization_id'],
  ['phone', 'service_id'],
  ['phone', 'service_at_location_id'],
  ['contact', 'location_id'],
  ['contact', 'organization_id'],
  ['contact', 'service_id'],
  ['contact', 'service_at_location_id'],
  ['address', 'location_id'],
  ['schedule', 'location_id'],
  ['schedule', 'service_id'],
  ['schedule', 'service_at_location_id'],
  ['funding', 'organization_id'],
  ['funding', 'service_id'],
  ['service_area', 'service_id'],
  ['required_document', 'service_id'],
  ['language', 'location_id'],
  ['language', 'phone_id'],
  ['language', 'service_id'],
  ['accessibility', 'location_id'],
  ['taxonomy_term', 'taxonomy_id'],
  ['cost_option', 'service_id'],
  ['organization_identifier', 'organization_id'],
  ['taxonomy_term', 'parent_id'],
  ['organization', 'parent_organization_id'],
];

export class ResourceDirectory1763900200000 implements MigrationInterface {
  name = 'ResourceDirectory1763900200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const extension of ['pg_trgm', 'cube', 'earthdistance']) {
      await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
    }
    await queryRunner.query(`
      CREATE TABLE hsds_organization (
        id                         uuid PRIMARY KEY NOT NULL,
        name                       text NOT NULL,
        alternate_name             text,
        description                text NOT NULL,
        email                      text,
        website                    text,
        tax_status                 text,
        tax_id                     text,
        year_incorporated          numeric,
        legal_status               text,
        logo                       text,
        uri                        text,
        parent_organization_id     uuid
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_program (
        id                         uuid PRIMARY KEY NOT NULL,
        organization_id            uuid NOT NULL,
        name                       text NOT NULL,
        alternate_name             text,
        description                text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_service (
        id                         uuid PRIMARY KEY NOT NULL,
        organization_id            uuid NOT NULL,
        program_id                 uuid,
        name                       text NOT NULL,
        alternate_name             text,
        description                text,
        url                        text,
        email                      text,
        status                     text NOT NULL CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
        interpretation_services    text,
        application_process        text,
        fees_description           text,
        wait_time                  text,
        fees                       text,
        accreditations             text,
        eligibility_description    text,
        minimum_age                numeric,
        maximum_age                numeric,
        assured_date               text,
        assurer_email              text,
        licenses                   text,
        alert                      text,
        last_modified              text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_attribute (
        id                         uuid PRIMARY KEY NOT NULL,
        link_id                    uuid NOT NULL,
        taxonomy_term_id           uuid NOT NULL,
        link_type                  text,
        link_entity                text NOT NULL,
        value                      text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_service_at_location (
        id                         uuid PRIMARY KEY NOT NULL,
        service_id                 uuid NOT NULL,
        location_id                uuid NOT NULL,
        description                text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_location (
        id                         uuid PRIMARY KEY NOT NULL,
        location_type              text NOT NULL CHECK (location_type IN ('physical', 'postal', 'virtual')),
        url                        text,
        organization_id            uuid,
        name                       text,
        alternate_name             text,
        description                text,
        transportation             text,
        latitude                   numeric,
        longitude                  numeric,
        external_identifier        text,
        external_identifier_type   text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_phone (
        id                         uuid PRIMARY KEY NOT NULL,
        location_id                uuid,
        service_id                 uuid,
        organization_id            uuid,
        contact_id                 uuid,
        service_at_location_id     uuid,
        number                     text NOT NULL,
        extension                  numeric,
        type                       text,
        description                text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_contact (
        id                         uuid PRIMARY KEY NOT NULL,
        organization_id            uuid,
        service_id                 uuid,
        service_at_location_id     uuid,
        location_id                uuid,
        name                       text,
        title                      text,
        department                 text,
        email                      text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_address (
        id                         uuid PRIMARY KEY NOT NULL,
        location_id                uuid,
        attention                  text,
        address_1                  text NOT NULL,
        address_2                  text,
        city                       text NOT NULL,
        region                     text,
        state_province             text NOT NULL,
        postal_code                text NOT NULL,
        country                    text NOT NULL,
        address_type               text NOT NULL CHECK (address_type IN ('physical', 'postal', 'virtual'))
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_schedule (
        id                         uuid PRIMARY KEY NOT NULL,
        service_id                 uuid,
        location_id                uuid,
        service_at_location_id     uuid,
        valid_from                 text,
        valid_to                   text,
        dtstart                    text,
        timezone                   numeric,
        until                      text,
        "count"                    numeric,
        wkst                       text CHECK (wkst IN ('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')),
        freq                       text CHECK (freq IN ('WEEKLY', 'MONTHLY')),
        "interval"                 numeric,
        byday                      text,
        byweekno                   text,
        bymonthday                 text,
        byyearday                  text,
        description                text,
        opens_at                   text,
        closes_at                  text,
        schedule_link              text,
        attending_type             text,
        notes                      text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_funding (
        id                         uuid PRIMARY KEY NOT NULL,
        organization_id            uuid,
        service_id                 uuid,
        source                     text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_service_area (
        id                         uuid PRIMARY KEY NOT NULL,
        service_id                 uuid,
        name                       text,
        description                text,
        extent                     text,
        extent_type                text,
        uri                        text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_required_document (
        id                         uuid PRIMARY KEY NOT NULL,
        service_id                 uuid,
        document                   text,
        uri                        text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_language (
        id                         uuid PRIMARY KEY NOT NULL,
        service_id                 uuid,
        location_id                uuid,
        phone_id                   uuid,
        name                       text,
        code                       text,
        note                       text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_accessibility (
        id                         uuid PRIMARY KEY NOT NULL,
        location_id                uuid,
        description                text,
        details                    text,
        url                        text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_taxonomy_term (
        id                         uuid PRIMARY KEY NOT NULL,
        code                       text,
        name                       text NOT NULL,
        description                text NOT NULL,
        parent_id                  uuid,
        taxonomy                   text,
        language                   text,
        taxonomy_id                uuid,
        term_uri                   text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_metadata (
        id                         uuid PRIMARY KEY NOT NULL,
        resource_id                uuid NOT NULL,
        resource_type              text NOT NULL,
        last_action_date           text NOT NULL,
        last_action_type           text NOT NULL,
        field_name                 text NOT NULL,
        previous_value             text NOT NULL,
        replacement_value          text NOT NULL,
        updated_by                 text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_meta_table_description (
        id                         uuid PRIMARY KEY NOT NULL,
        name                       text,
        language                   text,
        character_set              text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_cost_option (
        id                         uuid PRIMARY KEY NOT NULL,
        service_id                 uuid NOT NULL,
        valid_from                 text,
        valid_to                   text,
        "option"                   text,
        currency                   text,
        amount                     numeric,
        amount_description         text
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_organization_identifier (
        id                         uuid PRIMARY KEY NOT NULL,
        organization_id            uuid NOT NULL,
        identifier_scheme          text,
        identifier_type            text NOT NULL,
        identifier                 text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE hsds_taxonomy (
        id                         uuid PRIMARY KEY NOT NULL,
        name                       text NOT NULL,
        description                text NOT NULL,
        uri                        text,
        version                    text
      )`);
    // Foreign keys exactly as the datapackage declares them; deferred so an import may insert in any order
    // and is checked once, at commit.
    for (const statement of [
      `ALTER TABLE hsds_program ADD FOREIGN KEY (organization_id) REFERENCES hsds_organization (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_service ADD FOREIGN KEY (organization_id) REFERENCES hsds_organization (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_service ADD FOREIGN KEY (program_id) REFERENCES hsds_program (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_attribute ADD FOREIGN KEY (taxonomy_term_id) REFERENCES hsds_taxonomy_term (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_service_at_location ADD FOREIGN KEY (service_id) REFERENCES hsds_service (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_service_at_location ADD FOREIGN KEY (location_id) REFERENCES hsds_location (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_location ADD FOREIGN KEY (organization_id) REFERENCES hsds_organization (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_phone ADD FOREIGN KEY (contact_id) REFERENCES hsds_contact (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_phone ADD FOREIGN KEY (location_id) REFERENCES hsds_location (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_phone ADD FOREIGN KEY (organization_id) REFERENCES hsds_organization (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_phone ADD FOREIGN KEY (service_id) REFERENCES hsds_service (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_phone ADD FOREIGN KEY (service_at_location_id) REFERENCES hsds_service_at_location (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_contact ADD FOREIGN KEY (location_id) REFERENCES hsds_location (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_contact ADD FOREIGN KEY (organization_id) REFERENCES hsds_organization (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_contact ADD FOREIGN KEY (service_id) REFERENCES hsds_service (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_contact ADD FOREIGN KEY (service_at_location_id) REFERENCES hsds_service_at_location (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_address ADD FOREIGN KEY (location_id) REFERENCES hsds_location (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_schedule ADD FOREIGN KEY (location_id) REFERENCES hsds_location (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_schedule ADD FOREIGN KEY (service_id) REFERENCES hsds_service (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_schedule ADD FOREIGN KEY (service_at_location_id) REFERENCES hsds_service_at_location (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_funding ADD FOREIGN KEY (organization_id) REFERENCES hsds_organization (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_funding ADD FOREIGN KEY (service_id) REFERENCES hsds_service (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_service_area ADD FOREIGN KEY (service_id) REFERENCES hsds_service (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_required_document ADD FOREIGN KEY (service_id) REFERENCES hsds_service (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_language ADD FOREIGN KEY (location_id) REFERENCES hsds_location (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_language ADD FOREIGN KEY (phone_id) REFERENCES hsds_phone (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_language ADD FOREIGN KEY (service_id) REFERENCES hsds_service (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_accessibility ADD FOREIGN KEY (location_id) REFERENCES hsds_location (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_taxonomy_term ADD FOREIGN KEY (taxonomy_id) REFERENCES hsds_taxonomy (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_cost_option ADD FOREIGN KEY (service_id) REFERENCES hsds_service (id) DEFERRABLE INITIALLY DEFERRED`,
      `ALTER TABLE hsds_organization_identifier ADD FOREIGN KEY (organization_id) REFERENCES hsds_organization (id) DEFERRABLE INITIALLY DEFERRED`,
    ]) {
      await queryRunner.query(statement);
    }
    for (const [table, column] of INDEXED) {
      await queryRunner.query(`CREATE INDEX hsds_${table}_${column} ON hsds_${table} (${column})`);
    }
    await queryRunner.query(`CREATE INDEX hsds_attribute_link ON hsds_attribute (link_id, link_entity)`);
    // The network's fields beside HSDS. The maintainer is a member organization; a listing without one is
    // curated by the network admins (it may describe an organization that only takes referrals by phone).
    await queryRunner.query(`
      ALTER TABLE hsds_service
        ADD COLUMN maintainer_organization_id   uuid REFERENCES network_organization (id),
        ADD COLUMN accepts_electronic_referrals boolean NOT NULL DEFAULT false,
        ADD COLUMN capacity_status              text NOT NULL DEFAULT 'accepting'
          CHECK (capacity_status IN ('accepting', 'waitlist', 'not-accepting', 'additional-assessment-required')),
        ADD COLUMN capacity_expected_wait_days  integer CHECK (capacity_expected_wait_days >= 0),
        ADD COLUMN capacity_updated_at          timestamptz,
        ADD COLUMN listed_at                    timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN last_verified_at             timestamptz,
        ADD COLUMN last_verified_by             text,
        ADD COLUMN stale_since                  timestamptz,
        ADD COLUMN confidential                 boolean NOT NULL DEFAULT false,
        ADD COLUMN time_zone                    text,
        ADD COLUMN network_updated_at           timestamptz NOT NULL DEFAULT now()`);
    await queryRunner.query(`CREATE INDEX hsds_service_maintainer ON hsds_service (maintainer_organization_id)`);
    await queryRunner.query(`CREATE INDEX hsds_service_staleness ON hsds_service ((coalesce(last_verified_at, listed_at))) WHERE stale_since IS NULL`);
    await queryRunner.query(`ALTER TABLE hsds_location ADD COLUMN confidential boolean NOT NULL DEFAULT false`);
    // A location is confidential when flagged itself or when a confidential service is delivered there:
    // one definition every endpoint and the export read, so no path can forget one of the two.
    await queryRunner.query(`
      CREATE VIEW hsds_confidential_location AS
        SELECT id AS location_id FROM hsds_location WHERE confidential
        UNION
        SELECT sal.location_id FROM hsds_service_at_location sal JOIN hsds_service s ON s.id = sal.service_id WHERE s.confidential`);

    await queryRunner.query(`
      CREATE TABLE taxonomy_term_need_domain (
        taxonomy_term_id uuid NOT NULL REFERENCES hsds_taxonomy_term (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        need_domain      text NOT NULL,
        source           text NOT NULL CHECK (source IN ('rule', 'manual')),
        PRIMARY KEY (taxonomy_term_id, need_domain)
      )`);

    // One row per service at a location (or per service without one): what referrers search. Rebuilt by
    // refresh_listing_search() for the services an import or an edit touched, in the same transaction.
    await queryRunner.query(`
      CREATE TABLE listing_search (
        listing_key                  uuid PRIMARY KEY,
        service_id                   uuid NOT NULL REFERENCES hsds_service (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        service_at_location_id       uuid,
        location_id                  uuid,
        organization_id              uuid,
        status                       text NOT NULL,
        document                     text NOT NULL,
        need_domains                 text[] NOT NULL DEFAULT '{}',
        languages                    text[] NOT NULL DEFAULT '{}',
        service_areas                text[] NOT NULL DEFAULT '{}',
        latitude                     double precision,
        longitude                    double precision,
        earth_point                  earth,
        postal_code                  text,
        minimum_age                  numeric,
        maximum_age                  numeric,
        capacity_status              text NOT NULL,
        accepts_electronic_referrals boolean NOT NULL,
        confidential                 boolean NOT NULL,
        verified_at                  timestamptz NOT NULL,
        time_zone                    text,
        weekly_hours                 int4multirange
      )`);
    await queryRunner.query(`CREATE INDEX listing_search_service ON listing_search (service_id)`);
    await queryRunner.query(`CREATE INDEX listing_search_document ON listing_search USING gin (document gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX listing_search_needs ON listing_search USING gin (need_domains)`);
    await queryRunner.query(`CREATE INDEX listing_search_languages ON listing_search USING gin (languages)`);
    await queryRunner.query(`CREATE INDEX listing_search_areas ON listing_search USING gin (service_areas)`);
    await queryRunner.query(`CREATE INDEX listing_search_earth ON listing_search USING gist (earth_point)`);

    // Coordinates and postcode never enter the search row of a confidential location: a radius query cannot
    // reveal what the API hides.
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

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS refresh_listing_search`);
    await queryRunner.query(`DROP TABLE IF EXISTS listing_search, taxonomy_term_need_domain CASCADE`);
    await queryRunner.query(`DROP VIEW IF EXISTS hsds_confidential_location`);
    for (const table of HSDS_TABLES) await queryRunner.query(`DROP TABLE IF EXISTS hsds_${table} CASCADE`);
  }
}
