import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { ConsentPurpose, DataCategory, DisclosureChannel } from '@nwd/contracts';
import { RequestContext } from '@nwd/observability';
import { Clock } from '@nwd/clock';
import { ChainHead, DISCLOSURE_CHAINS, linkDisclosures } from './disclosure-chain';

/** One disclosure of a client's data to another organization, as it happens. */
export interface NewDisclosure {
  clientId: string;
  /** Who received it. */
  recipientOrganizationId: string;
  /** Whose records it carried (the referral's sender, a receiver's notes). */
  sourceOrganizationIds: string[];
  purpose: ConsentPurpose;
  categories: DataCategory[];
  channel: DisclosureChannel;
  /** The consents the decision relied on; empty when network policy alone released it. */
  consentIds: string[];
  referralId?: string | null;
  /** Defaults to the request id of the HTTP request or NATS message being handled. */
  requestId?: string | null;
  /** Defaults to the clock's now. */
  disclosedAt?: Date;
}

export interface RecordedDisclosure {
  id: string;
  chain: number;
  seq: number;
  hash: string;
  disclosedAt: Date;
}

const COLUMNS = [
  'chain',
  'seq',
  'id',
  'client_id',
  'recipient_organization_id',
  'source_organization_ids',
  'purpose',
  'categories',
  'channel',
  'consent_ids',
  'referral_id',
  'request_id',
  'disclosed_at',
  'previous_hash',
  'hash',
] as const;

/**
 * The accounting of disclosures: appends to a hash chain inside the caller's transaction, so a
 * disclosure and its record commit together or not at all. The chain's head stays locked until that
 * transaction ends; concurrent writers take other chains' heads (SKIP LOCKED) rather than wait, and
 * wait only when every chain is taken. Call `record` as a late step of a short transaction.
 */
@Injectable()
export class DisclosureLedger {
  constructor(private readonly clock: Clock) {}

  async record(manager: EntityManager, disclosures: readonly NewDisclosure[]): Promise<RecordedDisclosure[]> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('DisclosureLedger.record must run inside the transaction of the disclosure');
    }
    if (!disclosures.length) return [];
    const head = await this.takeHead(manager);
    const now = this.clock.now();
    const requestId = RequestContext.requestId() ?? null;
    const links = linkDisclosures(
      head,
      disclosures.map((d) => ({
        id: uuidv7(),
        clientId: d.clientId.toLowerCase(),
        recipientOrganizationId: d.recipientOrganizationId.toLowerCase(),
        sourceOrganizationIds: unique(d.sourceOrganizationIds.map((id) => id.toLowerCase())),
        purpose: d.purpose,
        categories: unique(d.categories),
        channel: d.channel,
        consentIds: unique(d.consentIds.map((id) => id.toLowerCase())),
        referralId: d.referralId?.toLowerCase() ?? null,
        requestId: d.requestId === undefined ? requestId : d.requestId,
        // Millisecond precision, as the hash reads it back from timestamptz.
        disclosedAt: new Date((d.disclosedAt ?? now).getTime()),
      })),
    );
    const values: unknown[] = [];
    const tuples = links.map((l) => {
      const row = [l.chain, l.seq, l.id, l.clientId, l.recipientOrganizationId, l.sourceOrganizationIds, l.purpose, l.categories, l.channel, l.consentIds, l.referralId, l.requestId, l.disclosedAt, l.previousHash, l.hash];
      const placeholders = row.map((value) => `$${values.push(value)}`);
      return `(${placeholders.join(', ')})`;
    });
    const last = links[links.length - 1]!;
    // One round trip: the rows and the head that now names the newest of them.
    await manager.query(
      `WITH appended AS (INSERT INTO disclosure (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} RETURNING 1)
       UPDATE disclosure_chain_head SET seq = $${values.push(last.seq)}, hash = $${values.push(last.hash)} WHERE id = $${values.push(head.chain)}`,
      values,
    );
    return links.map(({ id, chain, seq, hash, disclosedAt }) => ({ id, chain, seq, hash, disclosedAt }));
  }

  /** The lowest chain head no other transaction holds (one this transaction holds counts as free), else a wait for one at random. */
  private async takeHead(manager: EntityManager): Promise<ChainHead> {
    type Row = { id: number; seq: string; hash: string };
    let [row] = (await manager.query(`SELECT id, seq, hash FROM disclosure_chain_head ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`)) as Row[];
    if (!row) {
      const chain = 1 + Math.floor(Math.random() * DISCLOSURE_CHAINS);
      [row] = (await manager.query(`SELECT id, seq, hash FROM disclosure_chain_head WHERE id = $1 FOR UPDATE`, [chain])) as Row[];
    }
    if (!row) throw new Error('disclosure_chain_head is missing: the accounting of disclosures was tampered with');
    return { chain: Number(row.id), seq: Number(row.seq), hash: row.hash };
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
