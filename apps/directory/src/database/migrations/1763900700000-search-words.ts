import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Text search by words instead of word similarity over the whole document.
 *
 * word_similarity cost about 27 µs per listing (EXPLAIN ANALYZE, 451 listings within 10 km: 12.5 ms), so a
 * text search near a point spent most of its time comparing trigrams. Now each listing carries its words as
 * a tsvector (English stems, stop words dropped) and a query is turned into a tsquery once, before any
 * listing is looked at: a word the directory knows matches as a prefix ("counsel" finds "counseling" and
 * "counselor"); an unknown word is taken as a typo and replaced by the closest known words (trigram
 * similarity over the directory's vocabulary, `search_word`, a few thousand rows). Matching a listing is
 * then a tsvector test of a microsecond or two, and without a point the GIN index on the words serves it.
 */
/** The vocabulary kept by a trigger on the search rows (until 1763900800000). */
const REMEMBER_SEARCH_WORDS = [
  `CREATE FUNCTION remember_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO search_word
     SELECT DISTINCT w FROM inserted, unnest(tsvector_to_array(inserted.words)) w
     ON CONFLICT DO NOTHING;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER listing_search_words AFTER INSERT ON listing_search
   REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION remember_search_words()`,
];

export class SearchWords1763900700000 implements MigrationInterface {
  name = 'SearchWords1763900700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Slashes become spaces: the parser reads "information/counseling" (taxonomy names are full of them) as one
    // file-path token, which no typed word would match.
    await queryRunner.query(
      `ALTER TABLE listing_search ADD COLUMN words tsvector GENERATED ALWAYS AS (to_tsvector('english', translate(document, '/', ' '))) STORED`,
    );
    await queryRunner.query(`CREATE INDEX listing_search_words ON listing_search USING gin (words)`);
    // The trigram index served only the old `<%` text test, and it was the dearest index to keep up at import.
    await queryRunner.query(`DROP INDEX IF EXISTS listing_search_document`);

    await queryRunner.query(`CREATE TABLE search_word (word text PRIMARY KEY)`);
    await queryRunner.query(`CREATE INDEX search_word_trigram ON search_word USING gist (word gist_trgm_ops)`);
    await queryRunner.query(
      `INSERT INTO search_word SELECT DISTINCT w FROM listing_search, unnest(tsvector_to_array(words)) w ON CONFLICT DO NOTHING`,
    );
    // GiST, not GIN: the closest words come out of the index in order of distance (0.2 ms per word for the San
    // Mateo vocabulary, against 3 ms for GIN, whose common trigrams such as "  f" each list hundreds of words).
    // Search rows are only ever inserted (refresh_listing_search deletes and re-inserts), so new words arrive
    // by insert. Words no listing uses any more stay: they can only widen a typo's candidates, never match.
    for (const statement of REMEMBER_SEARCH_WORDS) await queryRunner.query(statement);

    // A word as a tsquery lexeme, quoted as tsquery input wants it (quotes and backslashes doubled).
    await queryRunner.query(`
      CREATE FUNCTION search_lexeme(word text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT '''' || replace(replace(word, '\\', '\\\\'), '''', '''''') || ''''
      $$`);
    // What a referrer typed, as a tsquery: every word must match (AND), each by itself or its closest known
    // words (trigram similarity over the vocabulary, at most five): a typo or two is forgiven, and so are the
    // directory's own (listings spell "socities"). A known word also matches as a prefix ("counsel" finds
    // "counselor") and takes only near neighbours (similarity ≥ 0.5); an unknown one takes anything from 0.3.
    // A word with no close known word is dropped rather than emptying the result; nothing left → NULL, which
    // matches nothing.
    await queryRunner.query(`
      CREATE FUNCTION search_tsquery(typed text) RETURNS tsquery
      LANGUAGE plpgsql STABLE SET pg_trgm.similarity_threshold = 0.3 AS $$
      DECLARE
        typed_word text;
        known boolean;
        alternatives text;
        parts text[] := '{}';
      BEGIN
        FOR typed_word IN SELECT DISTINCT w FROM unnest(tsvector_to_array(to_tsvector('english', translate(typed, '/', ' ')))) w LOOP
          known := EXISTS (SELECT 1 FROM search_word WHERE word = typed_word);
          SELECT string_agg(search_lexeme(word), ' | ') INTO alternatives FROM (
            SELECT word FROM search_word
             WHERE word % typed_word AND word <> typed_word AND (NOT known OR similarity(word, typed_word) >= 0.5)
             ORDER BY word <-> typed_word, word LIMIT 5
          ) closest;
          IF known THEN alternatives := concat_ws(' | ', search_lexeme(typed_word) || ':*', alternatives); END IF;
          IF alternatives IS NOT NULL THEN parts := parts || ('(' || alternatives || ')'); END IF;
        END LOOP;
        IF cardinality(parts) = 0 THEN RETURN NULL; END IF;
        RETURN array_to_string(parts, ' & ')::tsquery;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION search_tsquery(text)`);
    await queryRunner.query(`DROP FUNCTION search_lexeme(text)`);
    await queryRunner.query(`DROP TRIGGER listing_search_words ON listing_search`);
    await queryRunner.query(`DROP FUNCTION remember_search_words()`);
    await queryRunner.query(`DROP TABLE search_word`);
    await queryRunner.query(`CREATE INDEX listing_search_document ON listing_search USING gin (document gin_trgm_ops)`);
    await queryRunner.query(`ALTER TABLE listing_search DROP COLUMN words`);
  }
}
