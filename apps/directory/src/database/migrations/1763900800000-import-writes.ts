import { MigrationInterface, QueryRunner } from 'typeorm';
import { REMEMBER_SEARCH_WORDS } from './1763900700000-search-words';

/**
 * Less for an import to write.
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
 * prepared or not. Found in the catalog: every single-column index on a nullable column of an HSDS table.
 */
export class ImportWrites1763900800000 implements MigrationInterface {
  name = 'ImportWrites1763900800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER listing_search_words ON listing_search`);
    await queryRunner.query(`DROP FUNCTION remember_search_words()`);
    await queryRunner.query(rebuildReferenceIndexes(`i.indpred IS NULL`, `CREATE INDEX %I ON %I (%I) WHERE %I IS NOT NULL`));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(rebuildReferenceIndexes(`pg_get_expr(i.indpred, i.indrelid) = format('(%I IS NOT NULL)', a.attname)`, `CREATE INDEX %I ON %I (%I)`));
    for (const statement of REMEMBER_SEARCH_WORDS) await queryRunner.query(statement);
  }
}

/** Re-creates, under the same name, each single-column B-tree on a nullable column of an HSDS table that `which` selects. */
function rebuildReferenceIndexes(which: string, create: string): string {
  return `
    DO $$
    DECLARE r record;
    BEGIN
      FOR r IN
        SELECT ic.relname AS index_name, c.relname AS table_name, a.attname AS column_name
          FROM pg_index i
          JOIN pg_class ic ON ic.oid = i.indexrelid
          JOIN pg_class c ON c.oid = i.indrelid
          JOIN pg_am am ON am.oid = ic.relam
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
         WHERE c.relname LIKE 'hsds\\_%' AND c.relnamespace = current_schema()::regnamespace
           AND am.amname = 'btree' AND i.indnatts = 1 AND NOT i.indisunique AND NOT a.attnotnull AND ${which}
      LOOP
        EXECUTE format('DROP INDEX %I', r.index_name);
        EXECUTE format('${create.replace(/'/g, "''")}', r.index_name, r.table_name, r.column_name, r.column_name);
      END LOOP;
    END $$`;
}
