import { DataSource, EntityManager } from 'typeorm';
import { ChainLink, ChainReport, verifyChain } from './disclosure-chain';

const BATCH = 5000;

/**
 * Verifies the whole accounting of disclosures as stored. One REPEATABLE READ snapshot, so rows
 * appended meanwhile neither break the walk nor pass as tampering; rows are read in batches by
 * sequence number, so the log's size costs time, not memory.
 */
export function verifyDisclosureLedger(dataSource: DataSource): Promise<ChainReport> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const [head] = (await manager.query(`SELECT seq, hash FROM disclosure_chain_head WHERE id = 1`)) as { seq: string; hash: string }[];
    if (!head) return { intact: false, rows: 0, headSeq: 0, headHash: '', problem: { kind: 'head-missing' } };
    return verifyChain(storedLinks(manager), { seq: Number(head.seq), hash: head.hash });
  });
}

async function* storedLinks(manager: EntityManager): AsyncGenerator<ChainLink> {
  let after = -1;
  for (;;) {
    const rows = (await manager.query(
      `SELECT seq, id, client_id, recipient_organization_id, source_organization_ids, purpose, categories, channel,
              consent_ids, referral_id, request_id, disclosed_at, previous_hash, hash
         FROM disclosure WHERE seq > $1 ORDER BY seq LIMIT ${BATCH}`,
      [after],
    )) as Record<string, any>[];
    for (const r of rows) {
      yield {
        seq: Number(r.seq),
        id: r.id,
        clientId: r.client_id,
        recipientOrganizationId: r.recipient_organization_id,
        sourceOrganizationIds: r.source_organization_ids,
        purpose: r.purpose,
        categories: r.categories,
        channel: r.channel,
        consentIds: r.consent_ids,
        referralId: r.referral_id,
        requestId: r.request_id,
        disclosedAt: r.disclosed_at,
        previousHash: r.previous_hash,
        hash: r.hash,
      };
    }
    if (rows.length < BATCH) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}
