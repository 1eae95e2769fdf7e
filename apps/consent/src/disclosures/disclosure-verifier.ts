import { DataSource, EntityManager } from 'typeorm';
import { ChainHead, ChainLink, ChainProblem, DISCLOSURE_CHAINS, verifyChain } from './disclosure-chain';

const BATCH = 5000;

export interface LedgerReport {
  intact: boolean;
  rows: number;
  chains: ChainHead[];
  /** The first problem found, chain by chain. */
  problem?: ChainProblem;
}

/**
 * Verifies the whole accounting of disclosures as stored, chain by chain. One REPEATABLE READ
 * snapshot, so rows appended meanwhile neither break the walk nor pass as tampering; rows are read
 * in batches by sequence number, so the log's size costs time, not memory.
 */
export function verifyDisclosureLedger(dataSource: DataSource): Promise<LedgerReport> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const stored = (await manager.query(`SELECT id, seq, hash FROM disclosure_chain_head ORDER BY id`)) as { id: number; seq: string; hash: string }[];
    const heads = new Map(stored.map((h) => [Number(h.id), { chain: Number(h.id), seq: Number(h.seq), hash: h.hash }]));
    const chains = [...heads.values()];
    const onChains = (await manager.query(`SELECT DISTINCT chain FROM disclosure`)) as { chain: number }[];
    // Every chain the migration made, and every chain a row claims, must have its head.
    const expected = new Set([...Array.from({ length: DISCLOSURE_CHAINS }, (_, i) => i + 1), ...onChains.map((r) => Number(r.chain))]);
    let rows = 0;
    for (const chain of [...expected].sort((a, b) => a - b)) {
      const head = heads.get(chain);
      if (!head) return { intact: false, rows, chains, problem: { kind: 'head-missing', chain } };
      const report = await verifyChain(storedLinks(manager, chain), head);
      rows += report.rows;
      if (report.problem) return { intact: false, rows, chains, problem: report.problem };
    }
    return { intact: true, rows, chains };
  });
}

async function* storedLinks(manager: EntityManager, chain: number): AsyncGenerator<ChainLink> {
  let after = -1;
  for (;;) {
    const rows = (await manager.query(
      `SELECT chain, seq, id, client_id, recipient_organization_id, source_organization_ids, purpose, categories, channel,
              consent_ids, referral_id, request_id, disclosed_at, previous_hash, hash
         FROM disclosure WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT ${BATCH}`,
      [chain, after],
    )) as Record<string, any>[];
    for (const r of rows) {
      yield {
        chain: Number(r.chain),
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
