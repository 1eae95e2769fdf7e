import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReferralPartyRow } from './entities/referral-party.entity';
import { ReferralParties } from './referral-audience.rules';

/**
 * The parties of referrals, written by whichever consumer sees a referral first (each reads the
 * REFERRAL stream in order, so a referral's parent is recorded before it). Referral events carry
 * organization ids only; nothing here is tenant data a partner reads.
 *
 * Reads and writes run outside the consumers' transactions, each its own statement: the rows are
 * derived from the events and never change, so one written by a consumer whose transaction then
 * rolls back is still right — while inside those transactions every channel's consumer waited on
 * the others' open transactions for the same new key (the webhook fan-out bench spent most of its
 * queue time there).
 */
@Injectable()
export class ReferralPartyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(referralId: string): Promise<ReferralParties | undefined> {
    const row = await this.dataSource.manager.findOneBy(ReferralPartyRow, { referralId });
    return row ? toParties(row) : undefined;
  }

  /** First record wins: a referral's parties never change (a forward makes a new referral). */
  async record(parties: ReferralParties): Promise<void> {
    await this.dataSource.manager.createQueryBuilder().insert().into(ReferralPartyRow).values(parties).orIgnore().execute();
  }
}

function toParties(row: ReferralPartyRow): ReferralParties {
  return {
    referralId: row.referralId,
    senderOrganizationId: row.senderOrganizationId,
    receivingOrganizationId: row.receivingOrganizationId,
    forwardedFromReferralId: row.forwardedFromReferralId,
    forwardChainOrganizationIds: row.forwardChainOrganizationIds,
  };
}
