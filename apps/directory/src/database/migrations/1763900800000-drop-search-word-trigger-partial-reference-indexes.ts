import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the trigger that kept the search vocabulary, and makes the HSDS reference indexes partial (`WHERE
 * column IS NOT NULL`): less for an import to write.
 *
 * The search vocabulary was kept by a statement trigger with a transition table: PostgreSQL stores every
 * inserted search row (document, words, arrays: about a kilobyte each) in a tuplestore that spills to disk
 * past work_mem, only for the trigger to read the words back: 0.5 s of the 3.2 s an import of 20,000
 * services spent on search rows. ListingIndex now adds the new words itself, from the rows it has just
 * written (0.15 s).
 *
 * HSDS's reference columns are mostly empty: a phone belongs to a service, a location, an organization, a
 * contact or a service at a location, and has a column for each, so four of its five indexed columns are
 * NULL (in San Mateo's directory, 9 of the 28 indexed reference columns hold no value at all). A B-tree
 * keeps an entry for every NULL, which no lookup by reference ever reads. Those indexes now hold only the
 * rows with a value; `x = $1` and `x = ANY ($1)` imply `x IS NOT NULL`, so the same lookups use them,
 * prepared or not. The indexes are every single-column index on a nullable column of an HSDS table that
 * the migrations before this one created (when this migration was first written it found them in the catalog
 * as it ran: the same 27).
 */
export class DropSearchWordTriggerPartialReferenceIndexes1763900800000 implements MigrationInterface {
  // Databases migrated before the class was named for its change recorded it under this name: it stays.
  name = 'ImportWrites1763900800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER listing_search_words ON listing_search`);
    await queryRunner.query(`DROP FUNCTION remember_search_words()`);
    for (const [index, table, column] of REFERENCE_INDEXES) {
      await queryRunner.query(`DROP INDEX ${index}`);
      await queryRunner.query(`CREATE INDEX ${index} ON ${table} (${column}) WHERE ${column} IS NOT NULL`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [index, table, column] of REFERENCE_INDEXES) {
      await queryRunner.query(`DROP INDEX ${index}`);
      await queryRunner.query(`CREATE INDEX ${index} ON ${table} (${column})`);
    }
    // The trigger as 1763900700000 created it, copied: no migration runs another's code.
    await queryRunner.query(`CREATE FUNCTION remember_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO search_word
     SELECT DISTINCT w FROM inserted, unnest(tsvector_to_array(inserted.words)) w
     ON CONFLICT DO NOTHING;
     RETURN NULL;
   END $$`);
    await queryRunner.query(`CREATE TRIGGER listing_search_words AFTER INSERT ON listing_search
   REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION remember_search_words()`);
  }
}

/** Index, table, column: each B-tree on an HSDS reference column that may be NULL. */
const REFERENCE_INDEXES: [string, string, string][] = [
  ['hsds_accessibility_location_id', 'hsds_accessibility', 'location_id'],
  ['hsds_address_location_id', 'hsds_address', 'location_id'],
  ['hsds_contact_location_id', 'hsds_contact', 'location_id'],
  ['hsds_contact_organization_id', 'hsds_contact', 'organization_id'],
  ['hsds_contact_service_at_location_id', 'hsds_contact', 'service_at_location_id'],
  ['hsds_contact_service_id', 'hsds_contact', 'service_id'],
  ['hsds_funding_organization_id', 'hsds_funding', 'organization_id'],
  ['hsds_funding_service_id', 'hsds_funding', 'service_id'],
  ['hsds_language_location_id', 'hsds_language', 'location_id'],
  ['hsds_language_phone_id', 'hsds_language', 'phone_id'],
  ['hsds_language_service_id', 'hsds_language', 'service_id'],
  ['hsds_location_organization_id', 'hsds_location', 'organization_id'],
  ['hsds_organization_parent_organization_id', 'hsds_organization', 'parent_organization_id'],
  ['hsds_phone_contact_id', 'hsds_phone', 'contact_id'],
  ['hsds_phone_location_id', 'hsds_phone', 'location_id'],
  ['hsds_phone_organization_id', 'hsds_phone', 'organization_id'],
  ['hsds_phone_service_at_location_id', 'hsds_phone', 'service_at_location_id'],
  ['hsds_phone_service_id', 'hsds_phone', 'service_id'],
  ['hsds_required_document_service_id', 'hsds_required_document', 'service_id'],
  ['hsds_schedule_location_id', 'hsds_schedule', 'location_id'],
  ['hsds_schedule_service_at_location_id', 'hsds_schedule', 'service_at_location_id'],
  ['hsds_schedule_service_id', 'hsds_schedule', 'service_id'],
  ['hsds_service_maintainer', 'hsds_service', 'maintainer_organization_id'],
  ['hsds_service_program_id', 'hsds_service', 'program_id'],
  ['hsds_service_area_service_id', 'hsds_service_area', 'service_id'],
  ['hsds_taxonomy_term_parent_id', 'hsds_taxonomy_term', 'parent_id'],
  ['hsds_taxonomy_term_taxonomy_id', 'hsds_taxonomy_term', 'taxonomy_id'],
];
