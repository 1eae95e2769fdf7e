import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appending to the accounting of disclosures in one statement: take a free chain head, chain the
 * rows after it (the hash as disclosure-chain.ts defines it, over the content the caller serialized
 * after the sequence number), write them and move the head. A disclosing read then costs one round
 * trip and holds a head only while the statement runs, instead of a transaction of four.
 */
export class DisclosureAppend1764400000000 implements MigrationInterface {
  name = 'DisclosureAppend1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION append_disclosures(entries jsonb, fallback_chain smallint)
      RETURNS TABLE (appended_chain smallint, appended_seq bigint, appended_id uuid, appended_hash text)
      LANGUAGE plpgsql AS $$
      DECLARE
        head_id smallint;
        head_seq bigint;
        head_hash text;
        previous text;
        entry jsonb;
      BEGIN
        -- The lowest head no other transaction holds; when all are held, wait for the one the caller drew.
        SELECT h.id, h.seq, h.hash INTO head_id, head_seq, head_hash FROM disclosure_chain_head h ORDER BY h.id LIMIT 1 FOR UPDATE SKIP LOCKED;
        IF head_id IS NULL THEN
          SELECT h.id, h.seq, h.hash INTO head_id, head_seq, head_hash FROM disclosure_chain_head h WHERE h.id = fallback_chain FOR UPDATE;
        END IF;
        IF head_id IS NULL THEN
          RAISE EXCEPTION 'disclosure_chain_head is missing: the accounting of disclosures was tampered with';
        END IF;
        FOR entry IN SELECT value FROM jsonb_array_elements(entries) WITH ORDINALITY ORDER BY ordinality LOOP
          head_seq := head_seq + 1;
          previous := head_hash;
          head_hash := encode(sha256(convert_to(previous || E'\\n' || '[' || head_seq || ',' || (entry->>'contentAfterSeq'), 'UTF8')), 'hex');
          INSERT INTO disclosure (chain, seq, id, client_id, recipient_organization_id, source_organization_ids, purpose, categories,
                                  channel, consent_ids, referral_id, request_id, disclosed_at, previous_hash, hash)
          VALUES (head_id, head_seq, (entry->>'id')::uuid, (entry->>'clientId')::uuid, (entry->>'recipientOrganizationId')::uuid,
                  ARRAY(SELECT jsonb_array_elements_text(entry->'sourceOrganizationIds')), entry->>'purpose',
                  ARRAY(SELECT jsonb_array_elements_text(entry->'categories')), entry->>'channel',
                  ARRAY(SELECT jsonb_array_elements_text(entry->'consentIds')), (entry->>'referralId')::uuid, entry->>'requestId',
                  (entry->>'disclosedAt')::timestamptz, previous, head_hash);
          appended_chain := head_id;
          appended_seq := head_seq;
          appended_id := (entry->>'id')::uuid;
          appended_hash := head_hash;
          RETURN NEXT;
        END LOOP;
        UPDATE disclosure_chain_head SET seq = head_seq, hash = head_hash WHERE id = head_id;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION append_disclosures(jsonb, smallint)`);
  }
}
