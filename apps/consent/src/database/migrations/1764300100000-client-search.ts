import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finding a person instead of registering them twice: a normalized name (accents, case, hyphens and
 * punctuation folded, so "García-López" is "garcia lopez") kept beside the row and indexed for
 * trigram word similarity, which forgives typos and the order of given and family names.
 * The merges an org-admin makes are recorded in `client_merge`.
 * The extensions need a superuser (or a cloud's trusted-extension role) once per database.
 */
export class ClientSearch1764300100000 implements MigrationInterface {
  name = 'ClientSearch1764300100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS fuzzystrmatch`);
    // The two-argument unaccent with its dictionary named is stable enough to call IMMUTABLE, the usual wrapper.
    await queryRunner.query(`
      CREATE FUNCTION client_search_name(given text, family text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT trim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, coalesce(given, '') || ' ' || coalesce(family, ''))),
                                   '[[:space:][:punct:]]+', ' ', 'g'))
      $$`);
    await queryRunner.query(`ALTER TABLE client ADD COLUMN search_name text GENERATED ALWAYS AS (client_search_name(given_name, family_name)) STORED`);
    await queryRunner.query(`CREATE INDEX client_search_name_trgm ON client USING gin (search_name gin_trgm_ops) WHERE merged_into_id IS NULL`);
    await queryRunner.query(`CREATE INDEX client_live_by_birth_date ON client (birth_date, created_by_organization_id) WHERE merged_into_id IS NULL`);
    await queryRunner.query(`
      CREATE TABLE client_merge (
        id                  uuid PRIMARY KEY,
        organization_id     uuid NOT NULL,
        surviving_client_id uuid NOT NULL REFERENCES client (id),
        merged_client_id    uuid NOT NULL UNIQUE REFERENCES client (id),
        merged_by           text NOT NULL,
        merged_at           timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE client_merge`);
    await queryRunner.query(`DROP INDEX client_live_by_birth_date`);
    await queryRunner.query(`DROP INDEX client_search_name_trgm`);
    await queryRunner.query(`ALTER TABLE client DROP COLUMN search_name`);
    await queryRunner.query(`DROP FUNCTION client_search_name`);
  }
}
