import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The search document keeps no planner statistics. pg_trgm estimates `<%` by running word_similarity over
 * the column's most-common values and histogram (about 200 long documents): 5–7 ms of planning per search,
 * more than the search itself. Without statistics the planner takes the default 1 % for a text match,
 * which still sends text-only searches to the trigram index.
 *
 * `SET STATISTICS 0` alone keeps what ANALYZE already gathered; re-declaring the column's own type drops
 * those statistics without rewriting the table or rebuilding its indexes.
 */
export class SearchDocumentWithoutStatistics1763900400000 implements MigrationInterface {
  // Databases migrated before the class was named for its change recorded it under this name: it stays.
  name = 'ListingSearchPlanning1763900400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE listing_search ALTER COLUMN document SET STATISTICS 0, ALTER COLUMN document TYPE text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE listing_search ALTER COLUMN document SET STATISTICS -1`);
  }
}
