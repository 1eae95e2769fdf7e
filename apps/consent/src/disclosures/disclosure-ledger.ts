import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { ConsentPurpose, DataCategory, DisclosureChannel } from '@nwd/contracts';
import { RequestContext } from '@nwd/observability';
import { Clock } from '@nwd/clock';
import { contentAfterSeq, DISCLOSURE_CHAINS } from './disclosure-chain';

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

/**
 * The accounting of disclosures: appends to a hash chain in one statement (the database function
 * append_disclosures takes a free chain head, links the rows after it and moves the head), inside the
 * caller's transaction if it has one — a disclosure and its record then commit together or not at
 * all — or as a statement of its own. A head stays locked until that transaction ends; concurrent
 * writers take other chains' heads (SKIP LOCKED) rather than wait, and wait only when every chain is
 * taken, so call `record` as a late step of a short transaction.
 */
@Injectable()
export class DisclosureLedger {
  constructor(private readonly clock: Clock) {}

  async record(manager: EntityManager, disclosures: readonly NewDisclosure[]): Promise<RecordedDisclosure[]> {
    if (!disclosures.length) return [];
    const now = this.clock.now();
    const requestId = RequestContext.requestId() ?? null;
    const entries = disclosures.map((d) => {
      const row = {
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
      };
      return { ...row, contentAfterSeq: contentAfterSeq(row) };
    });
    const fallbackChain = 1 + Math.floor(Math.random() * DISCLOSURE_CHAINS);
    type Row = { appended_chain: number; appended_seq: string; appended_id: string; appended_hash: string };
    const rows = (await manager.query(`SELECT appended_chain, appended_seq, appended_id, appended_hash FROM append_disclosures($1::jsonb, $2::smallint)`, [
      JSON.stringify(entries),
      fallbackChain,
    ])) as Row[];
    return rows.map((row, i) => ({
      id: row.appended_id,
      chain: Number(row.appended_chain),
      seq: Number(row.appended_seq),
      hash: row.appended_hash,
      disclosedAt: entries[i]!.disclosedAt,
    }));
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
